using Harness.Analysis;
using Harness.Reporting;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

public class RunReportTests
{
    [Test]
    public void Analyze_writes_the_same_metrics_json_every_time_and_from_either_format()
    {
        using var root = new TempFolder();
        string csvDir = root.File("csv"), parquetDir = root.File("parquet");
        SyntheticRun.Write(csvDir, GoldenTests.SmallRun());
        SyntheticRun.Write(parquetDir, GoldenTests.SmallRun(), parquet: true);
        RunReport.Write(csvDir);
        var first = File.ReadAllBytes(Path.Combine(csvDir, MetricsJson.FileName));
        RunReport.Write(csvDir, plots: false);
        RunReport.Write(parquetDir, plots: false);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(csvDir, MetricsJson.FileName)), Is.EqualTo(first));
            Assert.That(File.ReadAllBytes(Path.Combine(parquetDir, MetricsJson.FileName)), Is.EqualTo(first));
            foreach (var t in new[] { "effectivity.md", "effectivity.csv", "retainability.md", "retainability.csv", "delta_logprob.csv", "retainability_curve.csv" })
                Assert.That(File.Exists(Path.Combine(csvDir, RunReport.TablesDir, t)), Is.True, t);
            var pngs = Directory.GetFiles(Path.Combine(csvDir, RunReport.PlotsDir), "*.png");
            Assert.That(pngs.Select(Path.GetFileName), Is.EquivalentTo(new[]
            {
                "delta_logprob_duplicate.png", "delta_logprob_once.png", "delta_logprob_control.png",
                "retainability_memorization.png", "retainability_composition.png",
            }));
            Assert.That(pngs.Select(p => File.ReadAllBytes(p).Take(4)), Is.All.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
            Assert.That(Directory.GetFiles(csvDir, "*.tmp", SearchOption.AllDirectories), Is.Empty, "atomic writes leave no temp files");
        });
    }
}

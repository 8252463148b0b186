using Harness.Analysis;
using Harness.Reporting;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

public class AnalyzeOutputTests
{
    [Test]
    public void AnalyzeWritesTheSameMetricsJsonEveryTimeAndFromEitherFormat()
    {
        var root = Directory.CreateTempSubdirectory("harness-analyze-").FullName;
        try
        {
            string csvDir = Path.Combine(root, "csv"), parquetDir = Path.Combine(root, "parquet");
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
        finally { Directory.Delete(root, recursive: true); }
    }

    [Test]
    public void ReportCommandSetsRunsSideBySide()
    {
        var root = Directory.CreateTempSubdirectory("harness-report-").FullName;
        try
        {
            SyntheticRun.Write(Path.Combine(root, "a"), GoldenTests.SmallRun("early"));
            SyntheticRun.Write(Path.Combine(root, "b"), GoldenTests.SmallRun("late"));
            var entry = System.Reflection.Assembly.Load("Harness.Cli").EntryPoint!;
            Assert.That(entry.Invoke(null, [new[] { "analyze", Path.Combine(root, "a"), "--no-plots" }]), Is.EqualTo(0));
            Assert.That(File.Exists(Path.Combine(root, "a", MetricsJson.FileName)), Is.True);
            var code = entry.Invoke(null, [new[] { "report", Path.Combine(root, "a"), Path.Combine(root, "b"), "--out", Path.Combine(root, "out") }]);
            Assert.That(code, Is.EqualTo(0));
            var md = File.ReadAllText(Path.Combine(root, "out", "report.md"));
            Assert.That(md, Does.Contain("stage=early").And.Contain("stage=late"));
            Assert.That(File.Exists(Path.Combine(root, "out", "report_memorization.png")), Is.True);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}

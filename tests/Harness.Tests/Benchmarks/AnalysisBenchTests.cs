using Harness.Reporting;
using System.Diagnostics;
using Harness.Analysis;
using Harness.Benchmarks;
using Harness.Data.Knowledge;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// Timing of a paper-size run (2,501 steps × 1,800 probes = 4.5 M rows): CSV read and compute measured apart. Prints,
/// never asserts. Run with: dotnet test tests/Harness.Tests -c Release --filter "FullyQualifiedName~AnalysisBenchTests" --logger "console;verbosity=detailed"
/// </summary>
[Explicit("writes a 250 MB trajectory; run on purpose")]
[Category("Benchmark")]
public class AnalysisBenchTests
{
    [Test]
    public void Times_reading_and_analysing_a_paper_size_trajectory()
    {
        var spec = AnalysisBench.PaperSize();
        // Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure.
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        string Cpu() { var now = Process.GetCurrentProcess().TotalProcessorTime; var d = now - cpu; cpu = now; return $"{d.TotalSeconds:F2} s CPU"; }
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        TestContext.Out.WriteLine($"generate: {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()} ({trajectory.Probes.Length} probes × {trajectory.StepCount} steps)");
        using var folder = new TempFolder();
        var dir = folder.File("run");
        sw.Restart(); Cpu();
        SyntheticRun.Write(dir, spec);
        TestContext.Out.WriteLine($"write csv: {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()}, {new FileInfo(Path.Combine(dir, RunDirectory.CsvFile)).Length / 1e6:F0} MB");
        sw.Restart(); Cpu();
        var read = TrajectoryCsv.ReadTrajectory(Path.Combine(dir, RunDirectory.CsvFile));
        TestContext.Out.WriteLine($"read csv: {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()}");
        var pq = Path.Combine(dir, "t.parquet");
        TrajectoryParquet.Write(pq, read.ToRows());
        sw.Restart(); Cpu();
        TrajectoryParquet.ReadTrajectory(pq);
        TestContext.Out.WriteLine($"read parquet: {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()}, {new FileInfo(pq).Length / 1e6:F0} MB");
        File.Delete(pq);
        sw.Restart(); Cpu();
        var m = MetricsCalculator.Compute(manifest, read);
        TestContext.Out.WriteLine($"compute: {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()}");
        sw.Restart(); Cpu();
        RunReport.Write(dir);
        TestContext.Out.WriteLine($"RunReport.Write (read + compute + metrics.json + tables + plots): {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu()}");
        TestContext.Out.WriteLine($"duplicate/memorization a = {m.RetainabilityOf("duplicate", Depth.Memorization)!.DecayConstant:F4}");
    }
}

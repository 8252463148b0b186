using System.Diagnostics;
using Harness.Analysis;

namespace Harness.Benchmarks;

/// <summary>
/// A paper-size run directory (2,501 log steps × 1,800 probes: 120 items, injections every 100 steps) written by
/// <see cref="SyntheticRun"/> to a temporary folder, then read and analysed by <see cref="RunAnalyzer.Compute"/>.
/// </summary>
public static class AnalysisBench
{
    public static SyntheticRunSpec PaperSize()
    {
        int[] every100 = Enumerable.Range(0, 10).Select(i => i * 100).ToArray();
        return new SyntheticRunSpec
        {
            Scenario = "paper-size",
            Steps = 2500,
            Groups =
            [
                new("paraphrase", 40, every100, 1.2, 0.15),
                new("duplicate", 40, every100, 1.0, 0.2),
                new("once", 40, [0], 2.0, 0.25),
            ],
            Noise = 0.02,
        };
    }

    /// <summary>Seconds to read and analyse the trajectory (writing it is not timed).</summary>
    public static double Seconds(bool parquet = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "harness-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticRun.Write(dir, PaperSize(), parquet);
            var sw = Stopwatch.StartNew();
            RunAnalyzer.Compute(dir);
            return sw.Elapsed.TotalSeconds;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

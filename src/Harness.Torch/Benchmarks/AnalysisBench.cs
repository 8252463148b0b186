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

    /// <summary>
    /// The paper's findings about one run, each decided by the cluster bootstrap at its default 1,000 resamples:
    /// effectivity above 0 for every group × depth, finding 5 (two groups, three depths refitted in every resample,
    /// composition against the other depths) and finding 7 (per-encounter gains).
    /// </summary>
    public static readonly IReadOnlyList<Harness.Scenarios.Expectation> Findings =
    [
        new("effectivity_positive", new Dictionary<string, string>(), 0),
        new("forgets_faster", new Dictionary<string, string> { ["group"] = "duplicate", ["than"] = "paraphrase", ["depths"] = "memorization,semantic,composition" }, 0),
        new("decay_lower_for", new Dictionary<string, string> { ["depth"] = "composition", ["depths"] = "memorization,semantic,composition" }, 0),
        new("first_encounter_most_effective", new Dictionary<string, string> { ["group"] = "once", ["than"] = "duplicate" }, 0),
    ];

    /// <summary>Seconds to read and analyse the trajectory (writing it is not timed).</summary>
    public static double Seconds(bool parquet = true) => Timed(parquet).Analysis;

    /// <summary>Seconds to read and analyse the trajectory, and then to decide <see cref="Findings"/> on it.</summary>
    public static (double Analysis, double Findings) Timed(bool parquet = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "harness-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticRun.Write(dir, PaperSize(), parquet);
            var sw = Stopwatch.StartNew();
            var metrics = RunAnalyzer.Compute(dir);
            double analysis = sw.Elapsed.TotalSeconds;
            sw.Restart();
            foreach (var e in Findings)
                if (!Harness.Analysis.Findings.FindingCheck.Evaluate(e, [metrics]).Decided)
                    throw new InvalidOperationException($"the benchmark's {e.Kind} was not decided");
            return (analysis, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

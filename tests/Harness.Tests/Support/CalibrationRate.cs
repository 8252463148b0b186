using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// How often findings hold over simulated data sets: each data set's runs generated, analysed with
/// <see cref="MetricsCalculator.ForFindings"/> (a fixed bootstrap seed per data set) and judged by
/// <see cref="FindingCheck.Evaluate"/>. All counts are measured in one pass over the data set index: a family of data
/// sets that several counts read (the same delegate) is generated and analysed once per index, and runs of one seed and
/// layout share their noise (<see cref="SyntheticBackgrounds"/>). Indices run in parallel; each result lands in its own
/// slot, so no count depends on scheduling.
/// </summary>
internal static class CalibrationRate
{
    /// <summary>Bootstrap resamples per data set in the calibration runs (BootstrapResampleTests, explicit, compares 200 with 1,000).</summary>
    public const int Resamples = 200;

    /// <summary>
    /// One count to measure: how many of the first <paramref name="Sets"/> data sets of a family the expectation holds
    /// in; <paramref name="Statistic"/>, where given, is read from each data set's verdict as well.
    /// </summary>
    public sealed record Count(Expectation Expectation, Func<int, IReadOnlyList<SyntheticRunSpec>> DataSets, int Sets, int Resamples = Resamples,
        Func<FindingVerdict, double>? Statistic = null);

    /// <summary>A count's result: data sets where the expectation held, and the statistic's value in each (empty when not read).</summary>
    public sealed record Outcome(int Holds, double[] Statistic)
    {
        public double Mean => Statistic.Average();

        public double StandardError
        {
            get
            {
                double mean = Mean;
                return Math.Sqrt(Statistic.Sum(v => (v - mean) * (v - mean)) / (Statistic.Length - 1) / Statistic.Length);
            }
        }
    }

    /// <summary>Each count's number of data sets in which its expectation holds, and its statistic's values.</summary>
    public static Outcome[] Measure(IReadOnlyList<Count> counts)
    {
        var families = counts.Select((c, k) => (Count: c, Index: k)).GroupBy(c => c.Count.DataSets).ToList();
        var holds = counts.Select(c => new bool[c.Sets]).ToArray();
        var statistic = counts.Select(c => new double[c.Statistic is null ? 0 : c.Sets]).ToArray();
        int indices = counts.Count == 0 ? 0 : counts.Max(c => c.Sets);
        Parallel.For(0, indices, i =>
        {
            var backgrounds = new SyntheticBackgrounds();
            foreach (var family in families)
            {
                var readers = family.Where(c => i < c.Count.Sets).ToList();
                if (readers.Count == 0) continue;
                var runs = family.Key(i).Select(spec =>
                {
                    var (manifest, trajectory) = SyntheticRun.Generate(spec, backgrounds);
                    // Only what the checks read: per-probe intervals, adjusted ℓ and the like decide nothing.
                    return MetricsCalculator.ForFindings(manifest, trajectory, Resamples, seed: 1_000_003 + i);
                }).ToList();
                foreach (var (c, k) in readers)
                {
                    var judged = runs.Select(m => m with { Analysis = m.Analysis with { BootstrapResamples = c.Resamples } }).ToList();
                    var verdict = FindingCheck.Evaluate(c.Expectation, judged);
                    holds[k][i] = verdict.Holds;
                    if (c.Statistic is { } read) statistic[k][i] = read(verdict);
                }
            }
        });
        return [.. holds.Select((h, k) => new Outcome(h.Count(x => x), statistic[k]))];
    }
}

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

    /// <summary>One count to measure: how many of the first <paramref name="Sets"/> data sets of a family the expectation holds in.</summary>
    public sealed record Count(Expectation Expectation, Func<int, IReadOnlyList<SyntheticRunSpec>> DataSets, int Sets, int Resamples = Resamples);

    public static int Holds(Expectation e, Func<int, IReadOnlyList<SyntheticRunSpec>> dataSet, int count, int resamples = Resamples) =>
        Measure([new Count(e, dataSet, count, resamples)])[0];

    /// <summary>Each count's number of data sets in which its expectation holds.</summary>
    public static int[] Measure(IReadOnlyList<Count> counts)
    {
        var families = counts.Select((c, k) => (Count: c, Index: k)).GroupBy(c => c.Count.DataSets).ToList();
        var holds = counts.Select(c => new bool[c.Sets]).ToArray();
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
                    holds[k][i] = FindingCheck.Evaluate(c.Expectation, judged).Holds;
                }
            }
        });
        return [.. holds.Select(h => h.Count(x => x))];
    }
}

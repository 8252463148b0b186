using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// How often a finding holds over simulated data sets: each data set's runs generated, analysed with
/// <see cref="MetricsCalculator.ForFindings"/> (a fixed bootstrap seed per data set) and judged by
/// <see cref="FindingCheck.Evaluate"/>. Data sets run in parallel; each result lands in its own slot, so the count
/// does not depend on scheduling.
/// </summary>
internal static class CalibrationRate
{
    /// <summary>Bootstrap resamples per data set in the calibration runs (BootstrapResampleTests, explicit, compares 200 with 1,000).</summary>
    public const int Resamples = 200;

    public static int Holds(Expectation e, Func<int, IReadOnlyList<SyntheticRunSpec>> dataSet, int count, int resamples = Resamples)
    {
        var holds = new bool[count];
        Parallel.For(0, count, i =>
        {
            var runs = dataSet(i).Select(spec =>
            {
                var (manifest, trajectory) = SyntheticRun.Generate(spec);
                // Only what the checks read: per-probe intervals, adjusted ℓ and the like decide nothing.
                return MetricsCalculator.ForFindings(manifest, trajectory, resamples, seed: 1_000_003 + i);
            }).ToList();
            holds[i] = FindingCheck.Evaluate(e, runs).Holds;
        });
        return holds.Count(h => h);
    }
}

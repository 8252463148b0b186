using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// How often a finding holds over simulated data sets: each data set's runs generated, analysed with
/// <see cref="MetricsCalculator.Compute"/> (a fixed bootstrap seed per data set) and judged by
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
                // The per-probe intervals of metrics.json decide nothing; the checks' cluster bootstrap reads its count
                // from the metrics' settings, so only it pays for the resamples.
                var m = MetricsCalculator.Compute(manifest, trajectory, resamples: 0, seed: 1_000_003 + i);
                return m with { Analysis = m.Analysis with { BootstrapResamples = resamples } };
            }).ToList();
            holds[i] = FindingCheck.Evaluate(e, runs).Holds;
        });
        return holds.Count(h => h);
    }
}

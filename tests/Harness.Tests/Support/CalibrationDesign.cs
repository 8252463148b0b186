using Harness.Analysis;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// How one finding kind is calibrated: the expectation as a tiny scenario writes it, the simulated data sets of that
/// scenario's shape under the null (the claim false, at its boundary) and under the alternative (an effect of the size
/// the real runs show), and how many of each. Data set i is a function of i alone, so every rate is deterministic.
/// </summary>
internal sealed record CalibrationDesign(
    string Kind,
    string Shape,
    Expectation Expectation,
    string NullTruth,
    string Effect,
    Func<int, IReadOnlyList<SyntheticRunSpec>> Null,
    Func<int, IReadOnlyList<SyntheticRunSpec>> Alternative,
    int NullSets = 400,
    int AlternativeSets = 200)
{
    /// <summary>
    /// Bootstrap resamples per interval of <see cref="Harness.Analysis.MetricsCalculator.Compute"/>. 0 where today's
    /// check reads no bootstrap interval (the retention kinds use OLS standard errors, R² and RMSE): the verdicts are
    /// the same and the runs five times cheaper. A check that starts reading intervals needs <see cref="CalibrationRate.Resamples"/> here.
    /// </summary>
    public int Resamples { get; init; } = CalibrationRate.Resamples;
}

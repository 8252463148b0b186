using Harness.Analysis;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// How one finding kind is calibrated: the expectation as a tiny scenario writes it, the simulated data sets of that
/// scenario's shape under the null (the claim false, at its boundary) and under the alternative (an effect of the size
/// the real runs show), and how many of each. Data set i is a function of i alone, so every rate is deterministic;
/// designs that hold the same delegate (e.g. two nulls of one truth) read the same data sets, generated and analysed once.
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
    int AlternativeSets = 100)
{
    /// <summary>
    /// Resamples of the checks' cluster bootstrap per data set; 0 for a kind whose check reads no interval
    /// (power_law_fit decides on R² and held-out RMSE).
    /// </summary>
    public int Resamples { get; init; } = CalibrationRate.Resamples;

    /// <summary>
    /// Where the null must sit on the scale the claim is written in, when the simulated truth is set on another: the
    /// statistic read from each null data set's verdict and the value its mean should have (the test checks it).
    /// </summary>
    public NullBoundary? Boundary { get; init; }
}

/// <summary>A statistic of the verdict and the value its mean over the null data sets should have (e.g. a margin).</summary>
internal sealed record NullBoundary(string Statistic, Func<Harness.Analysis.Findings.FindingVerdict, double> Read, double Value);

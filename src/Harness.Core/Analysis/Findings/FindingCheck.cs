using Harness.Scenarios;

namespace Harness.Analysis.Findings;

/// <summary>
/// Decides a scenario's <c>expect</c> entries from the metrics of its runs (one per matrix cell). Each kind states its
/// statistic (docs/scenarios.md, section <c>expect</c>); a parameter the kind does not know, a missing one or nothing
/// to compare is a verdict that fails and names the reason. <see cref="Opposite"/> decides the claim in the other
/// direction by the same statistic, which the runs must not support either where the finding holds.
/// </summary>
public static class FindingCheck
{
    public static FindingVerdict Evaluate(Expectation e, IReadOnlyList<RunMetrics> runs) => Decide(e, runs, 1);

    /// <summary>The opposite-direction claim (e.g. the labelled cell lower, not higher), by the same statistic.</summary>
    public static FindingVerdict Opposite(Expectation e, IReadOnlyList<RunMetrics> runs) => Decide(e, runs, -1);

    private static FindingVerdict Decide(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        try
        {
            return Check(e, runs, sign);
        }
        catch (FindingParameterException x)
        {
            return FindingVerdict.Undecided(x.Message);
        }
    }

    private static FindingVerdict Check(Expectation e, IReadOnlyList<RunMetrics> runs, double sign) => e.Kind switch
    {
        "effectivity_positive" => EffectivityChecks.Positive(e, runs, sign),
        "acquisition_rises_after_encounter" => EffectivityChecks.AcquisitionRises(e, runs, sign),
        "effectivity_independent_of" => EffectivityComparisons.IndependentOf(e, runs, sign),
        "effectivity_higher_for" => EffectivityComparisons.HigherFor(e, runs, sign),
        "first_encounter_most_effective" => EffectivityComparisons.FirstEncounterMostEffective(e, runs, sign),
        "power_law_fit" => RetentionChecks.PowerLawFit(e, runs, sign),
        "forgets_faster" => RetentionChecks.ForgetsFaster(e, runs, sign),
        "decay_lower_for" => RetentionChecks.DecayLowerFor(e, runs, sign),
        "x_intercept_larger_for" => RetentionChecks.XInterceptLargerFor(e, runs, sign),
        _ => FindingVerdict.Undecided($"no check for '{e.Kind}' is implemented", "the finding cannot be evaluated, so it does not pass"),
    };

    /// <summary>How a run is named in evidence: its matrix cell, or the scenario name without a matrix.</summary>
    internal static string Label(RunMetrics run) =>
        run.Cell.Count == 0 ? run.Scenario : string.Join(",", run.Cell.Select(c => $"{c.Key}={c.Value}"));
}

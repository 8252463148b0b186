using Harness.Scenarios;

namespace Harness.Analysis.Findings;

/// <summary>
/// Decides a scenario's <c>expect</c> entries from the metrics of its runs (one per matrix cell). Each kind states its
/// statistic (docs/scenarios.md, section <c>expect</c>); a parameter the kind does not know, a missing one or nothing
/// to compare is a verdict that fails and names the reason. <c>negate: true</c> inverts a decided verdict.
/// </summary>
public static class FindingCheck
{
    public static FindingVerdict Evaluate(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        FindingVerdict verdict;
        bool negate = false;
        try
        {
            negate = FindingParameters.Negated(e);
            verdict = Check(e, runs);
        }
        catch (FindingParameterException x)
        {
            verdict = FindingVerdict.Undecided(x.Message);
        }
        if (!negate || !verdict.Decided) return verdict;
        return verdict with { Holds = !verdict.Holds, Statistic = $"negated (holds when the following does not): {verdict.Statistic}" };
    }

    private static FindingVerdict Check(Expectation e, IReadOnlyList<RunMetrics> runs) => e.Kind switch
    {
        "effectivity_positive" => EffectivityChecks.Positive(e, runs),
        "acquisition_rises_after_encounter" => EffectivityChecks.AcquisitionRises(e, runs),
        "effectivity_independent_of" => EffectivityComparisons.IndependentOf(e, runs),
        "effectivity_higher_for" => EffectivityComparisons.HigherFor(e, runs),
        "first_encounter_most_effective" => EffectivityComparisons.FirstEncounterMostEffective(e, runs),
        "power_law_fit" => RetentionChecks.PowerLawFit(e, runs),
        "forgets_faster" => RetentionChecks.ForgetsFaster(e, runs),
        "decay_lower_for" => RetentionChecks.DecayLowerFor(e, runs),
        "x_intercept_larger_for" => RetentionChecks.XInterceptLargerFor(e, runs),
        _ => FindingVerdict.Undecided($"no check for '{e.Kind}' is implemented", "the finding cannot be evaluated, so it does not pass"),
    };

    /// <summary>How a run is named in evidence: its matrix cell, or the scenario name without a matrix.</summary>
    internal static string Label(RunMetrics run) =>
        run.Cell.Count == 0 ? run.Scenario : string.Join(",", run.Cell.Select(c => $"{c.Key}={c.Value}"));
}

namespace Harness.Scenarios;

/// <summary>The findings an <c>expect:</c> entry may name; add a kind here when the findings tests learn to assert it.</summary>
public static class FindingKinds
{
    public static readonly IReadOnlyList<string> Known =
    [
        "effectivity_positive",
        "acquisition_rises_after_encounter",
        "effectivity_independent_of",
        "effectivity_higher_for",
        "power_law_fit",
        "forgets_faster",
        "decay_lower_for",
        "x_intercept_larger_for",
        "first_encounter_most_effective",
    ];
}

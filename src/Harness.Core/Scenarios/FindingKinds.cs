namespace Harness.Scenarios;

/// <summary>What a finding's parameter holds, so that <c>harness validate</c> can check it against the scenario.</summary>
public enum FindingParameterType
{
    /// <summary>A finite number.</summary>
    Number,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>Free text (a reason).</summary>
    Text,
    /// <summary>One of <see cref="FindingParameter.Values"/>.</summary>
    Choice,
    /// <summary>A depth the scenario probes.</summary>
    Depth,
    /// <summary>A list of depths the scenario probes.</summary>
    Depths,
    /// <summary>An injected (not control) group of the scenario.</summary>
    Group,
    /// <summary>A list of injected groups.</summary>
    Groups,
    /// <summary>An axis of the scenario's matrix.</summary>
    Axis,
    /// <summary>A label of the axis that the entry names.</summary>
    Label,
}

public sealed record FindingParameter(string Name, FindingParameterType Type, bool Required = false, IReadOnlyList<string>? Values = null);

/// <summary>
/// A finding an <c>expect:</c> entry may name, with every parameter it takes. <see cref="SingleValue"/> names the
/// parameter that <c>- kind: value</c> sets (null: the kind takes no single value).
/// </summary>
public sealed record FindingKind(string Name, IReadOnlyList<FindingParameter> Parameters, string? SingleValue = null)
{
    /// <summary>
    /// Whether the kind's check keeps its false-positive rate at nominal 5% (at most 7.5%) on simulated data sets of the
    /// tiny scenarios' shape (docs/calibration.md); the calibration tests assert the rate only for kinds marked so.
    /// </summary>
    public bool Calibrated { get; init; }

    public FindingParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}

/// <summary>
/// The one registry of finding kinds and their parameters: the scenario reader and validator check entries against it,
/// the finding checks read parameters through it, the schema lists the kinds, and a test keeps docs/scenarios.md naming
/// every kind and parameter.
/// </summary>
public static class FindingKinds
{
    private static FindingParameter P(string name, FindingParameterType type, bool required = false, params string[] values) =>
        new(name, type, required, values.Length > 0 ? values : null);

    /// <summary>Every kind takes these: <c>divergence</c> declares a finding known not to hold at this scale, <c>negate</c> inverts the verdict.</summary>
    public static readonly IReadOnlyList<FindingParameter> Common =
        [P("divergence", FindingParameterType.Text), P("negate", FindingParameterType.Bool)];

    private static readonly FindingParameter Depths = P("depths", FindingParameterType.Depths);
    private static readonly FindingParameter Groups = P("groups", FindingParameterType.Groups);
    private static readonly FindingParameter Ell = P("ell", FindingParameterType.Choice, false, "raw", "adjusted");

    public static readonly IReadOnlyList<FindingKind> All =
    [
        new("effectivity_positive", [Depths, Groups]),
        new("acquisition_rises_after_encounter", [Depths, Groups]),
        new("effectivity_independent_of", [P("axis", FindingParameterType.Axis, true), P("margin", FindingParameterType.Number), Depths, Groups], SingleValue: "axis"),
        new("effectivity_higher_for", [P("axis", FindingParameterType.Axis, true), P("label", FindingParameterType.Label, true), Depths, Groups]),
        new("power_law_fit", [P("r2_at_least", FindingParameterType.Number, true), P("beats", FindingParameterType.Choice, false, "exponential", "exponential_offset"), Depths, Groups, Ell]),
        new("forgets_faster", [P("group", FindingParameterType.Group, true), P("than", FindingParameterType.Group, true), Depths, Ell]),
        new("decay_lower_for", [P("axis", FindingParameterType.Axis), P("label", FindingParameterType.Label), P("depth", FindingParameterType.Depth), Depths, Groups, Ell]),
        new("x_intercept_larger_for", [P("axis", FindingParameterType.Axis, true), P("label", FindingParameterType.Label, true), P("unit", FindingParameterType.Choice, false, "tokens", "steps"), Depths, Groups, Ell]),
        new("first_encounter_most_effective", [P("group", FindingParameterType.Group, true), P("than", FindingParameterType.Group, true), Depths]),
    ];

    public static readonly IReadOnlyList<string> Known = All.Select(k => k.Name).ToArray();

    public static FindingKind Of(string name) => All.First(k => k.Name == name);
}

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
/// A finding an <c>expect:</c> entry may name, with every parameter it takes.
/// </summary>
public sealed record FindingKind(string Name, IReadOnlyList<FindingParameter> Parameters)
{
    /// <summary>
    /// Whether simulations with a known truth (tests/Harness.Tests/Analysis/Calibration, docs/calibration.md) show this
    /// kind's false-positive rate at most 7.5% for a nominal 5%: only a calibrated kind may be asserted.
    /// </summary>
    public bool Calibrated { get; init; }

    /// <summary>
    /// The fewest seeds (the <c>seed</c> axis's labels; one without it) at which <see cref="Calibrated"/> was measured
    /// within the limit (SeedCountTests): a difference between runs, or between depths or groups of one run, holds drift
    /// of each run's own that only seeds show, so with fewer seeds the rate is not the measured one.
    /// </summary>
    public int SeedsCalibrated { get; init; } = 1;

    /// <summary>
    /// For a kind calibrated in one form only: why an entry with these parameters is outside it (null when inside), e.g.
    /// a comparison by depth inside runs calibrated, the same kind along an axis between runs not.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, string?> OutsideCalibratedForm { get; init; } = _ => null;

    /// <summary>Why an entry of this kind with <paramref name="parameters"/>, on runs of <paramref name="seeds"/> seeds, is reported only; null when it is asserted.</summary>
    public string? ReportedOnlyBecause(IReadOnlyDictionary<string, string> parameters, int seeds) =>
        !Calibrated ? "not calibrated"
        : OutsideCalibratedForm(parameters) is { } form ? form
        : seeds < SeedsCalibrated ? $"calibrated at {SeedsCalibrated} seeds, run with {seeds}"
        : null;

    /// <summary>
    /// The paper's finding (1–7, as PROTOCOL.md numbers them) an entry of this kind tests, from its parameters; null
    /// where they name none (an axis that is neither model size nor batch size).
    /// </summary>
    public required Func<IReadOnlyDictionary<string, string>, int?> PaperFinding { get; init; }

    /// <summary>What an entry of this kind claims, in words, from its parameters (without the common ones).</summary>
    public required Func<IReadOnlyDictionary<string, string>, string> Claim { get; init; }

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

    /// <summary>Every kind takes this: <c>divergence</c> declares a finding known not to hold at this scale, with the reason.</summary>
    public static readonly IReadOnlyList<FindingParameter> Common = [P("divergence", FindingParameterType.Text)];

    private static readonly FindingParameter Depths = P("depths", FindingParameterType.Depths);
    private static readonly FindingParameter Groups = P("groups", FindingParameterType.Groups);

    public static readonly IReadOnlyList<FindingKind> All =
    [
        new("effectivity_positive", [Depths, Groups])
        {
            Calibrated = true,
            PaperFinding = _ => 1,
            Claim = p => "effectivity > 0" + Scope(p),
        },
        new("acquisition_rises_after_encounter", [Depths, Groups])
        {
            Calibrated = true,
            PaperFinding = _ => 1,
            Claim = p => "ℓ rises right after each encounter, then falls" + Scope(p),
        },
        new("effectivity_independent_of", [P("axis", FindingParameterType.Axis, true), P("margin", FindingParameterType.Number, true), Depths, Groups])
        {
            Calibrated = true,
            SeedsCalibrated = 2,
            PaperFinding = _ => 2,
            Claim = p => $"no later {p.GetValueOrDefault("axis")} gains {p.GetValueOrDefault("margin")} or more in effectivity over an earlier one" + Scope(p),
        },
        new("effectivity_higher_for", [P("axis", FindingParameterType.Axis, true), P("label", FindingParameterType.Label, true), Depths, Groups])
        {
            Calibrated = true,
            SeedsCalibrated = 2,
            PaperFinding = p => AxisFinding(p, modelSize: 3),
            Claim = p => $"higher effectivity at {Cell(p)}" + Scope(p),
        },
        new("power_law_fit", [P("r2_at_least", FindingParameterType.Number, true), P("beats", FindingParameterType.Choice, false, "exponential", "exponential_offset"), Depths, Groups])
        {
            PaperFinding = _ => 4,
            Claim = p => $"R̄ linear in log t, R² ≥ {p.GetValueOrDefault("r2_at_least")}" +
                         (p.TryGetValue("beats", out var b) ? $", better than {b.Replace('_', ' ')}" : "") + Scope(p),
        },
        new("forgets_faster", [P("group", FindingParameterType.Group, true), P("than", FindingParameterType.Group, true), Depths])
        {
            Calibrated = true,
            SeedsCalibrated = 2,
            PaperFinding = _ => 5,
            Claim = p => $"{p.GetValueOrDefault("group")} forgets faster than {p.GetValueOrDefault("than")}" + Scope(p),
        },
        new("decay_lower_for", [P("axis", FindingParameterType.Axis), P("label", FindingParameterType.Label), P("depth", FindingParameterType.Depth), Depths, Groups])
        {
            // By depth it is finding 5 (composition forgets slowest); along an axis the paper compares only batch sizes.
            Calibrated = true,
            SeedsCalibrated = 2,
            OutsideCalibratedForm = p => p.ContainsKey("depth") ? null : "calibrated by depth inside runs, not along an axis",
            PaperFinding = p => p.ContainsKey("depth") ? 5 : AxisFinding(p, modelSize: null),
            Claim = p => (p.TryGetValue("depth", out var d) ? $"{d} forgets slowest" : $"lower decay constant at {Cell(p)}") + Scope(p),
        },
        new("x_intercept_larger_for", [P("axis", FindingParameterType.Axis, true), P("label", FindingParameterType.Label, true), P("unit", FindingParameterType.Choice, false, "tokens", "steps"), Depths, Groups])
        {
            PaperFinding = _ => 6,
            Claim = p => $"larger x-intercept in {p.GetValueOrDefault("unit", "tokens")} at {Cell(p)}" + Scope(p),
        },
        new("first_encounter_most_effective", [P("group", FindingParameterType.Group, true), P("than", FindingParameterType.Group, true), Depths])
        {
            PaperFinding = _ => 7,
            Calibrated = true,
            Claim = p => $"{p.GetValueOrDefault("group")}'s first encounter beats {p.GetValueOrDefault("than")}'s later ones" + Scope(p),
        },
    ];

    /// <summary>
    /// A comparison along an axis tests finding 6 when the axis varies the batch size, and <paramref name="modelSize"/>
    /// when it varies the model; axes are named by the scenario, so the name tells ("batch", "data.batch_size"; "size").
    /// </summary>
    private static int? AxisFinding(IReadOnlyDictionary<string, string> p, int? modelSize)
    {
        var axis = p.GetValueOrDefault("axis") ?? "";
        if (axis.Contains("batch", StringComparison.OrdinalIgnoreCase)) return 6;
        return axis.Contains("size", StringComparison.OrdinalIgnoreCase) || axis.Contains("model", StringComparison.OrdinalIgnoreCase) ? modelSize : null;
    }

    private static string Cell(IReadOnlyDictionary<string, string> p) => $"{p.GetValueOrDefault("axis")}={p.GetValueOrDefault("label")}";

    /// <summary>The parameters that narrow an entry, as " (once; memorization, semantic)"; empty when none is set.</summary>
    private static string Scope(IReadOnlyDictionary<string, string> p)
    {
        var parts = new List<string>();
        foreach (var name in new[] { "groups", "depths" })
            if (p.TryGetValue(name, out var v)) parts.Add(string.Join(", ", v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }

    public static readonly IReadOnlyList<string> Known = All.Select(k => k.Name).ToArray();

    public static FindingKind Of(string name) => All.First(k => k.Name == name);

    /// <summary>The paper's finding an entry tests (<see cref="FindingKind.PaperFinding"/>); null for an unknown kind.</summary>
    public static int? PaperFinding(Expectation e) => All.FirstOrDefault(k => k.Name == e.Kind)?.PaperFinding(e.Parameters);

    /// <summary>The entry's claim in words; the kind's name for an unknown kind.</summary>
    public static string Claim(Expectation e) => All.FirstOrDefault(k => k.Name == e.Kind)?.Claim(e.Parameters) ?? e.Kind;
}

using System.Globalization;
using Harness.Data.Knowledge;
using Harness.Scenarios;

namespace Harness.Analysis.Findings;

/// <summary>
/// Typed access to one expectation's parameters. Each kind lists the names it knows; any other name, a missing required
/// one or a value of the wrong form fails the check with a message naming it, never a silent default.
/// </summary>
internal sealed class FindingParameters
{
    private readonly Expectation e;
    private readonly Dictionary<string, string> parameters;

    /// <summary>The parameters of <paramref name="e"/>, checked against what its kind takes in <see cref="FindingKinds"/>.</summary>
    public FindingParameters(Expectation e)
    {
        this.e = e;
        var kind = FindingKinds.Of(e.Kind);
        parameters = new Dictionary<string, string>(e.Parameters, StringComparer.Ordinal);
        var allowed = kind.Parameters.Concat(FindingKinds.Common).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var takes = kind.Parameters.Count > 0 ? $"(it takes: {string.Join(", ", kind.Parameters.Select(p => p.Name))})" : "(it takes none)";
        foreach (var name in parameters.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal))
            throw new FindingParameterException(name == "value"
                ? $"{e.Kind} does not take a single value ('{parameters[name]}'); write its parameters as {{ name: value }} {takes}"
                : $"{e.Kind} does not take parameter '{name}' {takes}");
    }

    public bool Has(string name) => parameters.ContainsKey(name);

    public string? Optional(string name) => parameters.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) =>
        parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new FindingParameterException($"{e.Kind} needs parameter '{name}'");

    public double Number(string name, double? fallback = null)
    {
        var text = fallback is null ? Required(name) : Optional(name);
        if (text is null) return fallback!.Value;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
            : throw new FindingParameterException($"{e.Kind}: parameter '{name}' should be a number, not '{text}'");
    }

    public string OneOf(string name, string fallback, params string[] values)
    {
        var v = Optional(name) ?? fallback;
        return values.Contains(v) ? v : throw new FindingParameterException($"{e.Kind}: parameter '{name}' should be one of {string.Join(", ", values)}, not '{v}'");
    }

    public IReadOnlyList<Depth> Depths(params Depth[] fallback)
    {
        if (Optional("depths") is not { } text) return fallback;
        return List(text).Select(ParseDepth).ToList();
    }

    public Depth ParseDepth(string text) => DepthNames.TryParse(text, out var d) ? d
        : throw new FindingParameterException($"{e.Kind}: '{text}' is not a depth (memorization, semantic, composition)");

    /// <summary>The injected groups to test: <c>groups</c> when given (each must exist in some run), all otherwise.</summary>
    public IReadOnlyList<string> Groups(IReadOnlyList<RunMetrics> runs)
    {
        var all = InjectedGroups(runs);
        if (Optional("groups") is not { } text) return all;
        return List(text).Select(g => InjectedGroup(g, all)).ToList();
    }

    /// <summary>A group named by a parameter; it must be an injected group of some run.</summary>
    public string Group(string name, IReadOnlyList<RunMetrics> runs) => InjectedGroup(Required(name), InjectedGroups(runs));

    private string InjectedGroup(string g, IReadOnlyList<string> all) => all.Contains(g) ? g
        : throw new FindingParameterException($"{e.Kind}: no run has an injected group '{g}' (groups: {string.Join(", ", all)})");

    private static List<string> InjectedGroups(IReadOnlyList<RunMetrics> runs) =>
        runs.SelectMany(r => r.Effectivity).Where(m => !m.Control).Select(m => m.Group).Distinct(StringComparer.Ordinal).ToList();

    private static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

using System.Globalization;
using Harness.Data.Knowledge;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>
/// Reads <c>expect:</c>: each entry is a finding kind (<c>- effectivity_positive</c>) or a kind with
/// parameters (<c>- power_law_fit: { r2_at_least: 0.8, divergence: "..." }</c>). Lists become comma-joined strings.
/// Every name and value is checked here against <see cref="FindingKinds"/>; what needs the whole scenario (its
/// groups, depths, matrix axes and labels) is checked by <see cref="Validate"/>.
/// </summary>
public static class Expectations
{
    private const string KindMark = "";

    public static IReadOnlyList<Expectation> Read(YNode node) =>
        Scalars.List(node, "expect").Select(Entry).ToList();

    static Expectation Entry(YNode entry)
    {
        if (entry is YScalar s) return Checked(Kind(s), s, [], s.Mark.Line);
        if (entry is not YMapping { Entries.Count: 1 } m)
            throw new ScenarioException(entry.Mark, "an expect entry should name one finding", "write `- kind` or `- kind: { parameter: value }`");
        var (key, value) = (m.Entries[0].Key, m.Entries[0].Value);
        var kind = Kind(key);
        List<(string Name, YNode Key, YNode At, string Value)> parameters = value switch
        {
            YScalar { IsNull: true } => [],
            YMapping p => p.Entries.Select(e => (e.Key.Value, (YNode)e.Key, e.Value, e.Value is YSequence q ? Joined(q, e.Key.Value) : Scalars.Scalar(e.Value, e.Key.Value).Value)).ToList(),
            _ => throw new ScenarioException(value.Mark, $"{kind.Name} does not take a single value",
                $"write its parameters as {{ name: value }} ({Takes(kind)})"),
        };
        return Checked(kind, key, parameters, key.Mark.Line);
    }

    static Expectation Checked(FindingKind kind, YNode at, List<(string Name, YNode Key, YNode At, string Value)> parameters, int line)
    {
        var marks = new Dictionary<string, SourceMark> { [KindMark] = at.Mark };
        var values = new Dictionary<string, string>();
        foreach (var (name, keyNode, node, value) in parameters)
        {
            var p = kind.Parameter(name) ?? FindingKinds.Common.FirstOrDefault(c => c.Name == name)
                    ?? throw new ScenarioException(keyNode.Mark, $"{kind.Name} does not take parameter '{name}'",
                        NearestName.Find(name, kind.Parameters.Concat(FindingKinds.Common).Select(x => x.Name)) is { } near
                            ? $"did you mean '{near}'? ({Takes(kind)})" : Takes(kind));
            CheckForm(kind, p, node, value);
            values[name] = value;
            marks[name] = node.Mark;
        }
        foreach (var missing in kind.Parameters.Where(p => p.Required && !values.ContainsKey(p.Name)))
            throw new ScenarioException(at.Mark, $"{kind.Name} needs parameter '{missing.Name}'", $"add {missing.Name}: … ({Takes(kind)})");
        return new Expectation(kind.Name, values, line) { Marks = marks };
    }

    static void CheckForm(FindingKind kind, FindingParameter p, YNode at, string value)
    {
        string? problem = p.Type switch
        {
            FindingParameterType.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? null : "should be a number",
            FindingParameterType.Bool => value is "true" or "false" ? null : "should be true or false",
            FindingParameterType.Choice => p.Values!.Contains(value) ? null : $"should be one of {string.Join(", ", p.Values!)}",
            FindingParameterType.Depth => DepthNames.TryParse(value, out _) ? null : $"should be a depth ({string.Join(", ", DepthNames.All)})",
            FindingParameterType.Depths => Items(value).All(d => DepthNames.TryParse(d, out _)) && Items(value).Length > 0 ? null
                : $"should be a list of depths ({string.Join(", ", DepthNames.All)})",
            _ => value.Trim().Length > 0 ? null : "is empty",
        };
        if (problem is not null)
            throw new ScenarioException(at.Mark, $"{kind.Name}: parameter '{p.Name}' {problem}, not '{Shown(value)}'", $"write {p.Name}: {Example(p)}");
    }

    /// <summary>
    /// Checks what needs the whole scenario: depths it probes, injected groups, matrix axes and their labels (over all
    /// of its cells).
    /// </summary>
    public static void Validate(IReadOnlyList<Scenario> cells)
    {
        if (cells.Count == 0) return;
        var depths = cells[0].Probes.Depths;
        var groups = cells.SelectMany(c => c.Injection.Groups).Where(g => !g.Control).Select(g => g.Name).Distinct().ToList();
        var axes = cells.SelectMany(c => c.Cell.Keys).Distinct().ToList();
        foreach (var e in cells[0].Expect)
        {
            var kind = FindingKinds.Of(e.Kind);
            SourceMark At(string name) => e.Marks.TryGetValue(name, out var m) ? m : e.Marks.GetValueOrDefault(KindMark);
            foreach (var (name, value) in e.Parameters)
            {
                if (kind.Parameter(name) is not { } p) continue;
                IReadOnlyList<string> allowed = p.Type switch
                {
                    FindingParameterType.Depth or FindingParameterType.Depths => depths,
                    FindingParameterType.Group or FindingParameterType.Groups => groups,
                    FindingParameterType.Axis => axes,
                    FindingParameterType.Label when e.Parameters.TryGetValue("axis", out var axis) =>
                        cells.Select(c => c.Cell.GetValueOrDefault(axis)).OfType<string>().Distinct().ToList(),
                    _ => [],
                };
                if (allowed.Count == 0 && p.Type is FindingParameterType.Axis)
                    throw new ScenarioException(At(name), $"{e.Kind}: parameter '{name}' names matrix axis '{value}', but the scenario has no matrix",
                        "add a matrix with that axis, or compare within one run");
                if (p.Type is FindingParameterType.Number or FindingParameterType.Bool or FindingParameterType.Text or FindingParameterType.Choice
                    || (p.Type is FindingParameterType.Label && !e.Parameters.ContainsKey("axis")))
                    continue;
                foreach (var item in Items(value).Where(v => !allowed.Contains(v)))
                    throw new ScenarioException(At(name), $"{e.Kind}: parameter '{name}' names {What(p.Type)} '{Shown(item)}', which the scenario does not have",
                        allowed.Count > 0 ? $"use one of {string.Join(", ", allowed)}" : "use what the scenario defines");
            }
        }
    }

    static string What(FindingParameterType t) => t switch
    {
        FindingParameterType.Depth or FindingParameterType.Depths => "depth",
        FindingParameterType.Group or FindingParameterType.Groups => "injected group",
        FindingParameterType.Axis => "matrix axis",
        _ => "label",
    };

    static string[] Items(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    static string Shown(string value) => value.Length <= 60 ? value : value[..57] + "…";

    static string Example(FindingParameter p) => p.Type switch
    {
        FindingParameterType.Number => "0.8",
        FindingParameterType.Bool => "true",
        FindingParameterType.Choice => p.Values![0],
        FindingParameterType.Depth => "memorization",
        FindingParameterType.Depths => "[memorization, semantic]",
        _ => "…",
    };

    static string Takes(FindingKind kind) => kind.Parameters.Count > 0
        ? $"{kind.Name} takes {string.Join(", ", kind.Parameters.Select(p => p.Name))}, and divergence"
        : $"{kind.Name} takes divergence";

    static string Joined(YSequence q, string what) => string.Join(",", q.Items.Select(i => Scalars.Scalar(i, what).Value));

    static FindingKind Kind(YScalar s) => FindingKinds.All.FirstOrDefault(k => k.Name == s.Value)
        ?? throw new ScenarioException(s.Mark, $"unknown finding '{ScenarioException.Echo(s.Value)}'", NearestName.Suggest(s.Value, FindingKinds.Known));
}

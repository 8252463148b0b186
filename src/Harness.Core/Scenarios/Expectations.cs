using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>
/// Reads <c>expect:</c>: each entry is a finding kind (<c>- effectivity_positive</c>), a kind with one value
/// (<c>- effectivity_independent_of: stage</c>, kept as parameter <c>value</c>) or with parameters
/// (<c>- power_law_fit: { r2_at_least: 0.8, divergence: "..." }</c>). Lists become comma-joined strings.
/// </summary>
public static class Expectations
{
    public static IReadOnlyList<Expectation> Read(YNode node) =>
        Scalars.List(node, "expect").Select(Entry).ToList();

    static Expectation Entry(YNode entry)
    {
        if (entry is YScalar s) return new Expectation(Kind(s), new Dictionary<string, string>(), s.Mark.Line);
        if (entry is not YMapping { Entries.Count: 1 } m)
            throw new ScenarioException(entry.Mark, "an expect entry should name one finding", "write `- kind` or `- kind: { parameter: value }`");
        var (key, value) = (m.Entries[0].Key, m.Entries[0].Value);
        var parameters = value switch
        {
            YScalar { IsNull: true } => new Dictionary<string, string>(),
            YScalar v => new Dictionary<string, string> { ["value"] = v.Value },
            YSequence q => new Dictionary<string, string> { ["value"] = Joined(q, key.Value) },
            YMapping p => p.Entries.ToDictionary(e => e.Key.Value, e => e.Value is YSequence q ? Joined(q, e.Key.Value) : Scalars.Scalar(e.Value, e.Key.Value).Value),
            _ => throw new InvalidOperationException(),
        };
        return new Expectation(Kind(key), parameters, key.Mark.Line);
    }

    static string Joined(YSequence q, string what) => string.Join(",", q.Items.Select(i => Scalars.Scalar(i, what).Value));

    static string Kind(YScalar s) => FindingKinds.Known.Contains(s.Value) ? s.Value
        : throw new ScenarioException(s.Mark, $"unknown finding '{ScenarioException.Echo(s.Value)}'", NearestName.Suggest(s.Value, FindingKinds.Known));
}

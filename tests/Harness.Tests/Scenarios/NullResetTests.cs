using System.Text.Json;
using Harness.Scenarios;
using NUnit.Framework;
using Harness.Tests.Support;

namespace Harness.Tests.Scenarios;

/// <summary>
/// <c>key: ~</c> resets a key to its default (docs/scenarios.md, "General rules"): the parser takes it so, and the
/// committed schema allows it for every key but the required ones, so that editors do not flag what harness accepts.
/// </summary>
public class NullResetTests
{
    static JsonElement Schema() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "schemas", "scenario.schema.json"))).RootElement;

    public static IEnumerable<string> AllKeys() => ScenarioSyntax.Root.AllKeys();

    [TestCaseSource(nameof(AllKeys))]
    public void Schema_allows_null_for_every_key_but_the_required_ones(string path)
    {
        var node = Find(Schema(), path.Split('.'));
        Assert.That(AcceptsNull(node), Is.EqualTo(!KeyAt(path).Required), node.ToString());
    }

    [TestCaseSource(typeof(SchemaAgreementTests), nameof(SchemaAgreementTests.LeafPaths))]
    public void Parser_reads_null_as_the_default(string path)
    {
        using var files = new TempFolder();
        var parts = path.Split('.');
        // A pretrain section needs its steps; every other key is written alone.
        var siblings = parts[0] == "pretrain" && path != "pretrain.steps" ? "steps: 10, " : "";
        var yaml = parts.Reverse().Aggregate("~", (inner, part) => $"{{ {part}: {inner} }}")[1..^1].Trim() + "\n";
        if (siblings.Length > 0) yaml = yaml.Replace("pretrain: { ", "pretrain: { " + siblings);
        if (KeyAt(path).Required)
        {
            Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(files.Write("null.yaml", yaml)), "a required key cannot be reset");
            return;
        }
        var withNull = ScenarioLoader.Load(files.Write("null.yaml", yaml))[0];
        var without = ScenarioLoader.Load(files.Write("none.yaml", siblings.Length > 0 ? "pretrain: { steps: 10 }\n" : "{}\n"))[0];
        Assert.That(Json(withNull), Is.EqualTo(Json(without)), yaml);
    }

    [Test]
    public void Parser_reads_null_group_keys_as_their_defaults()
    {
        using var files = new TempFolder();
        var path = files.Write("g.yaml", "injection: { groups: [{ name: g, items: 0, at: { every: 10, count: 2, start: ~ }, text: ~, variants: ~, control: ~ }] }\n");
        var g = ScenarioLoader.Load(path)[0].Injection.Groups.Single();
        Assert.That((g.At, g.Text, g.Variants, g.Control), Is.EqualTo((new[] { 0, 10 }, "original", Array.Empty<int>(), false)).Using(new GroupComparer()));
    }

    sealed class GroupComparer : IEqualityComparer<(IReadOnlyList<int>, string, IReadOnlyList<int>, bool)>
    {
        public bool Equals((IReadOnlyList<int>, string, IReadOnlyList<int>, bool) a, (IReadOnlyList<int>, string, IReadOnlyList<int>, bool) b) =>
            a.Item1.SequenceEqual(b.Item1) && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3) && a.Item4 == b.Item4;
        public int GetHashCode((IReadOnlyList<int>, string, IReadOnlyList<int>, bool) x) => 0;
    }

    static string Json(Scenario s) => JsonSerializer.Serialize(s with { SourcePath = "", Name = "" });

    /// <summary>The syntax key at a path of <see cref="SyntaxKey.AllKeys"/>, also inside group entries and the at-mapping.</summary>
    static SyntaxKey KeyAt(string path) =>
        path.Split('.').Aggregate(ScenarioSyntax.Root, (key, part) => key.Child(part) ?? throw new InvalidOperationException(path));

    /// <summary>The schema of a key path, through the oneOf of nullable mappings and the items of the group list.</summary>
    static JsonElement Find(JsonElement node, string[] parts)
    {
        foreach (var part in parts)
        {
            node = Properties(node).GetProperty(part);
        }
        return node;
    }

    static JsonElement Properties(JsonElement node) =>
        TryProperties(node) ?? throw new InvalidOperationException($"no properties in {node}");

    static JsonElement? TryProperties(JsonElement node)
    {
        if (node.TryGetProperty("properties", out var p)) return p;
        if (node.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object && TryProperties(items) is { } inItems) return inItems;
        if (node.TryGetProperty("oneOf", out var one))
            foreach (var branch in one.EnumerateArray())
                if (TryProperties(branch) is { } inBranch) return inBranch;
        return null;
    }

    static bool AcceptsNull(JsonElement node) =>
        (node.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.String ? t.GetString() == "null" : t.EnumerateArray().Any(x => x.GetString() == "null")))
        || (node.TryGetProperty("enum", out var e) && e.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.Null))
        || (node.TryGetProperty("oneOf", out var one) && one.EnumerateArray().Any(AcceptsNull));
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>
/// Schema, parser and docs agree: all three come from <see cref="ScenarioSyntax"/>. The committed schema must equal the
/// generated one, the reader must consume every key of the tree, and docs/scenarios.md must name every key path.
/// </summary>
public class SchemaAgreementTests
{
    /// <summary>The smallest valid fictional_knowledge*.json: one item, five probes per depth, no paraphrases.</summary>
    const string OneItemKnowledgeFile = """
        [{"train_context": "Zorbin lives in Quell.", "paraphrases": [],
          "mem_input": ["a", "b", "c", "d", "e"], "mem_target": ["Quell", "Quell", "Quell", "Quell", "Quell"],
          "gen_input": ["a", "b", "c", "d", "e"], "gen_target": ["Quell", "Quell", "Quell", "Quell", "Quell"],
          "hard_gen_input": ["a", "b", "c", "d", "e"], "hard_gen_target": ["Quell", "Quell", "Quell", "Quell", "Quell"]}]
        """;

    static string SchemaPath => Path.Combine(Repository.Root, "schemas", "scenario.schema.json");

    [Test]
    public void Committed_schema_is_the_generated_one()
    {
        var generated = ScenarioSchema.Generate();
        if (Environment.GetEnvironmentVariable("HARNESS_UPDATE_SCHEMA") == "1") File.WriteAllText(SchemaPath, generated);
        Assert.That(File.Exists(SchemaPath), "schemas/scenario.schema.json is missing: run this test with HARNESS_UPDATE_SCHEMA=1");
        Assert.That(File.ReadAllText(SchemaPath), Is.EqualTo(generated),
            "schemas/scenario.schema.json is stale: rerun this test with HARNESS_UPDATE_SCHEMA=1 and commit the file");
    }

    [Test]
    public void Schema_lists_exactly_the_keys_the_parser_accepts()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var inSchema = new SortedSet<string>(SchemaPaths(doc.RootElement, ""), StringComparer.Ordinal);
        var inParser = new SortedSet<string>(ScenarioSyntax.Root.AllKeys(), StringComparer.Ordinal);
        Assert.That(inSchema, Is.EquivalentTo(inParser));
    }

    static IEnumerable<string> SchemaPaths(JsonElement node, string prefix)
    {
        if (node.TryGetProperty("oneOf", out var one))
            foreach (var alt in one.EnumerateArray().Where(a => a.TryGetProperty("properties", out _)))
                foreach (var p in SchemaPaths(alt, prefix)) yield return p;
        if (!node.TryGetProperty("properties", out var props)) yield break;
        foreach (var p in props.EnumerateObject())
        {
            var path = prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}";
            yield return path;
            // Group entries and the at-mapping keep their keys below the list; the tree lists them as children too.
            var inner = p.Value.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object ? items : p.Value;
            foreach (var q in SchemaPaths(inner, path)) yield return q;
        }
    }

    /// <summary>Leaves that can differ from their default (a one-word enum such as optimizer.name cannot).</summary>
    public static IEnumerable<string> LeafPaths() => ScenarioSyntax.Root.Paths()
        .Where(p => p.Key.Type != SyntaxType.Mapping && !ScenarioSyntax.CompositionKeys.Contains(p.Path))
        .Where(p => p.Key is not { Type: SyntaxType.Enum, Values.Count: 1 })
        .Select(p => p.Path);

    /// <summary>Setting any key to its sample changes the resolved scenario: no key is accepted and then ignored.</summary>
    [TestCaseSource(nameof(LeafPaths))]
    public void Reader_consumes_every_key(string path)
    {
        var key = ScenarioSyntax.Root.At(path)!;
        using var files = new TempFolder();
        // A second pretraining exists only for the model-size checkpoints.
        var checkpoint = path == "model.replica" ? "builtin:tiny/narrow/matched" : "builtin:tiny/early";
        var baseline = $"model: {{ checkpoint: {checkpoint} }}\ntraining: {{ steps: 200 }}\npretrain: {{ steps: 10 }}\n";
        var sample = key.Sample ?? "";
        if (key.Type == SyntaxType.Path && sample.Length == 0)
            sample = path == "knowledge.source" ? files.Write("k.json", OneItemKnowledgeFile) : files.Write("corpus.txt", "text");
        // rate_of names checkpoints whose rate resume-constant holds, and is an error with any other schedule.
        if (key.Type == SyntaxType.PathList && sample.Length == 0) sample = $"{files.Path}, name: resume-constant";
        if (sample.Length == 0) Assert.Fail($"{path} has no Sample in ScenarioSyntax");
        var parts = path.Split('.');
        var nested = parts.Reverse().Aggregate(sample, (inner, part) => $"{{ {part}: {inner} }}");
        var yaml = $"{parts[0]}: {nested[(nested.IndexOf(':') + 1)..^1].Trim()}\n";

        var before = Json(ScenarioLoader.Load(files.Write("a.yaml", baseline))[0]);
        var after = Json(ScenarioLoader.Load(files.Write("b.yaml", "extends: a.yaml\n" + yaml))[0]);
        Assert.That(after, Is.Not.EqualTo(before), $"setting {path} to {sample} changed nothing:\n{yaml}");
    }

    static string Json(Scenario s) => JsonSerializer.Serialize(s with { SourcePath = "", Name = "" });

    [Test]
    public void Docs_name_every_key_path()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "scenarios.md"));
        var missing = ScenarioSyntax.Root.AllKeys()
            .Where(p => !Regex.IsMatch(docs, $@"`([a-z_.]+\.)?{Regex.Escape(p.Split('.')[^1])}`")).ToList();
        Assert.That(missing, Is.Empty, "docs/scenarios.md lacks these keys");
    }
}

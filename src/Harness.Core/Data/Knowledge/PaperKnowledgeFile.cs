using System.Text.Json;

namespace Harness.Data.Knowledge;

/// <summary>
/// The paper's <c>fictional_knowledge*.json</c>: a list of items with <c>train_context</c>, five-string probe lists
/// (<c>mem_*</c>, <c>gen_*</c>, <c>hard_gen_*</c>) and <c>paraphrases</c> (9 rewrites, or empty). Every field is checked,
/// so a broken file fails on load with the item and field named, not mid-run.
/// </summary>
public static class PaperKnowledgeFile
{
    public const int ProbesPerDepth = 5;

    private static readonly (Depth Depth, string Input, string Target)[] ProbeFields =
    [
        (Depth.Memorization, "mem_input", "mem_target"),
        (Depth.Semantic, "gen_input", "gen_target"),
        (Depth.Composition, "hard_gen_input", "hard_gen_target"),
    ];

    public static KnowledgeSet Load(string path)
    {
        if (!File.Exists(path)) throw new KnowledgeFileException(path, $"file not found (expected a fictional_knowledge*.json list of items)");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new KnowledgeFileException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}", $"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new KnowledgeFileException(path, $"the top level must be a JSON list of items, found {doc.RootElement.ValueKind}");
            var items = doc.RootElement.EnumerateArray().Select((e, i) => Item(path, i, e)).ToArray();
            return new KnowledgeSet(path, items);
        }
    }

    private static KnowledgeItem Item(string path, int index, JsonElement e)
    {
        string where = $"{path}: item {index}";
        if (e.ValueKind != JsonValueKind.Object) throw new KnowledgeFileException(where, $"must be a JSON object, found {e.ValueKind}");
        string context = Text(where, e, "train_context");
        var probes = ProbeFields.ToDictionary(f => f.Depth, f =>
        {
            var inputs = Strings(where, e, f.Input, ProbesPerDepth);
            var targets = Strings(where, e, f.Target, ProbesPerDepth);
            return (IReadOnlyList<ProbeText>)inputs.Zip(targets, (i, t) => new ProbeText(i, t)).ToArray();
        });
        var paraphrases = Strings(where, e, "paraphrases", expected: null);
        return new KnowledgeItem(KnowledgeItem.IdFor(index), context, paraphrases,
            probes[Depth.Memorization], probes[Depth.Semantic], probes[Depth.Composition]);
    }

    private static JsonElement Field(string where, JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new KnowledgeFileException(where, $"field '{name}' is missing");

    private static string Text(string where, JsonElement e, string name)
    {
        var v = Field(where, e, name);
        if (v.ValueKind != JsonValueKind.String) throw new KnowledgeFileException(where, $"field '{name}' must be a string, found {v.ValueKind}");
        var s = JsonText.Read(v) ?? throw new KnowledgeFileException(where, $"field '{name}' {JsonText.LoneSurrogate}");
        return s.Trim().Length > 0 ? s : throw new KnowledgeFileException(where, $"field '{name}' is empty");
    }

    private static string[] Strings(string where, JsonElement e, string name, int? expected)
    {
        var v = Field(where, e, name);
        if (v.ValueKind != JsonValueKind.Array) throw new KnowledgeFileException(where, $"field '{name}' must be a list of strings, found {v.ValueKind}");
        var list = v.EnumerateArray().Select((x, k) => x.ValueKind == JsonValueKind.String
                ? JsonText.Read(x) ?? throw new KnowledgeFileException(where, $"field '{name}'[{k}] {JsonText.LoneSurrogate}")
                : throw new KnowledgeFileException(where, $"field '{name}'[{k}] must be a string, found {x.ValueKind}"))
            .ToArray();
        if (expected is int n && list.Length != n)
            throw new KnowledgeFileException(where, $"field '{name}' must hold {n} strings, found {list.Length}");
        return list;
    }

    public static void Save(string path, KnowledgeSet set) => AtomicFile.Write(path, s =>
    {
        using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var item in set.Items)
        {
            w.WriteStartObject();
            w.WriteString("train_context", item.TrainContext);
            foreach (var (depth, input, target) in ProbeFields)
            {
                WriteList(w, input, item.Probes(depth).Select(p => p.Input));
                WriteList(w, target, item.Probes(depth).Select(p => p.Target));
            }
            WriteList(w, "paraphrases", item.Paraphrases);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void WriteList(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}

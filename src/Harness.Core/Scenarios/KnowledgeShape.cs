using System.Text.Json;

namespace Harness.Scenarios;

/// <summary>
/// What validation and the compiler need to know about a knowledge set without loading its texts: how many items, and
/// how many paraphrases each has.
/// </summary>
public sealed class KnowledgeShape(int count, Func<int, int> paraphrases)
{
    /// <summary>The built-in generator's paraphrases per item.</summary>
    public const int BuiltinParaphrases = 9;

    public int Count { get; } = count;
    public int Paraphrases(int item) => paraphrases(item);

    /// <summary>For a knowledge source that cannot be read yet (a path deferred until run): nothing is limited.</summary>
    public static readonly KnowledgeShape Unchecked = new(int.MaxValue, _ => int.MaxValue);

    public static KnowledgeShape Builtin(int items) => new(items, _ => BuiltinParaphrases);

    public static KnowledgeShape FromCounts(IReadOnlyList<int> paraphraseCounts) => new(paraphraseCounts.Count, i => paraphraseCounts[i]);

    /// <summary>The shape of a resolved <see cref="KnowledgeSpec"/> (builtin, or an absolute path to the paper's JSON array).</summary>
    public static KnowledgeShape Of(KnowledgeSpec spec) =>
        spec.Source == "builtin:fictional-world" ? Builtin(spec.Items) : FromCounts(ReadFile(spec.Source));

    /// <summary>Paraphrase counts of each item of a fictional_knowledge*.json array.</summary>
    public static IReadOnlyList<int> ReadFile(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new KnowledgeFileException(path, "a knowledge file is a JSON array of items");
            return doc.RootElement.EnumerateArray()
                .Select(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("paraphrases", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.GetArrayLength() : 0)
                .ToList();
        }
        catch (JsonException e)
        {
            throw new KnowledgeFileException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}", "not valid JSON");
        }
    }
}

/// <summary>A knowledge file that is not the paper's JSON array.</summary>
public sealed class KnowledgeFileException(string where, string problem)
    : InputException($"{where}: {problem}. fix: use the paper's fictional_knowledge*.json format")
{
    public string Problem { get; } = $"{where}: {problem}";
}

using Harness.Data;
using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>
/// What validation and the compiler need to know about a knowledge set: how many items, and how many paraphrases each
/// has.
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

    public static KnowledgeShape Of(KnowledgeSet set) => FromCounts(set.Items.Select(i => i.Paraphrases.Count).ToArray());

    /// <summary>
    /// The shape of a resolved <see cref="KnowledgeSpec"/> (builtin, or an absolute path to the paper's JSON array, read
    /// whole by <see cref="PaperKnowledgeFile"/>, so a broken file fails at validate).
    /// </summary>
    public static KnowledgeShape Of(KnowledgeSpec spec) =>
        spec.Source == BuiltinNames.FictionalKnowledge ? Builtin(spec.Items) : Of(PaperKnowledgeFile.Load(spec.Source));
}

namespace Harness.Data;

/// <summary>
/// The <c>builtin:</c> names a scenario may give instead of a file: the one list that the scenario syntax, its checks,
/// the generated schema and the readers that resolve them all use.
/// </summary>
public static class BuiltinNames
{
    public const string Prefix = "builtin:";

    /// <summary>A model trained from random weights (not a <c>builtin:</c> name, but never a path either).</summary>
    public const string Scratch = "scratch";

    public const string SyntheticWorld = "builtin:synthetic-world";
    public const string FictionalKnowledge = "builtin:fictional-knowledge";
    public const string WorldWords = "builtin:world-words";
    public const string Gpt2 = "builtin:gpt2";

    /// <summary>Checkpoints the embedded tiny pretraining recipes make: <c>builtin:tiny/&lt;stage&gt;</c> or <c>builtin:tiny/&lt;recipe&gt;/&lt;stage&gt;</c>.</summary>
    public const string TinyPrefix = "builtin:tiny/";

    public static readonly IReadOnlyList<string> Tokenizers = [WorldWords, Gpt2];
    public static readonly IReadOnlyList<string> Corpora = [SyntheticWorld];
    public static readonly IReadOnlyList<string> KnowledgeSources = [FictionalKnowledge];

    /// <summary>The stages of scenarios/tiny/pretrain*.yaml (a test keeps this equal to the embedded recipes).</summary>
    public static readonly IReadOnlyList<string> TinyCheckpoints =
        [TinyPrefix + "early", TinyPrefix + "mid", TinyPrefix + "late", TinyPrefix + "narrow/matched", TinyPrefix + "wide/matched",
         TinyPrefix + "narrow-2/matched", TinyPrefix + "wide-2/matched"];

    public static readonly IReadOnlyList<string> Checkpoints = [Scratch, .. TinyCheckpoints];

    public static bool IsBuiltin(string spec) => spec.StartsWith(Prefix, StringComparison.Ordinal);
}

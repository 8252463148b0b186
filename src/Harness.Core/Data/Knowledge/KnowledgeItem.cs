namespace Harness.Data.Knowledge;

/// <summary>A cloze probe: the model reads <c>Input + " " + Target</c> and is scored on the target's tokens.</summary>
public sealed record ProbeText(string Input, string Target);

/// <summary>One fictional-knowledge item in the paper's schema.</summary>
public sealed record KnowledgeItem(
    string Id,
    string TrainContext,
    IReadOnlyList<string> Paraphrases,
    IReadOnlyList<ProbeText> Memorization,
    IReadOnlyList<ProbeText> Semantic,
    IReadOnlyList<ProbeText> Composition)
{
    public IReadOnlyList<ProbeText> Probes(Depth depth) => depth switch
    {
        Depth.Memorization => Memorization,
        Depth.Semantic => Semantic,
        _ => Composition,
    };

    /// <summary>Every knowledge source names item i the same way, so plans and run directories agree on ids.</summary>
    public static string IdFor(int index) => $"fk-{index:D3}";

    /// <summary>Variant 0 is the original passage, variant k ≥ 1 is paraphrase k.</summary>
    public string Text(int variant) => variant == 0 ? TrainContext : Paraphrases[variant - 1];
}

/// <summary>An ordered set of items; scenarios index into it.</summary>
public sealed record KnowledgeSet(string Source, IReadOnlyList<KnowledgeItem> Items);

namespace Harness.Data.Knowledge;

/// <summary>Probe depth, as in the paper: memorization (mem), semantic (gen), composition (hard_gen).</summary>
public enum Depth { Memorization, Semantic, Composition }

public static class DepthNames
{
    public static string Name(this Depth d) => d switch
    {
        Depth.Memorization => "memorization",
        Depth.Semantic => "semantic",
        _ => "composition",
    };

    public static bool TryParse(string s, out Depth d)
    {
        switch (s)
        {
            case "memorization": d = Depth.Memorization; return true;
            case "semantic": d = Depth.Semantic; return true;
            case "composition": d = Depth.Composition; return true;
            default: d = default; return false;
        }
    }
}

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

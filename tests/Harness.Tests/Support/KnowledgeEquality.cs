using Harness.Data.Knowledge;

namespace Harness.Tests.Support;

/// <summary>Records compare lists by reference; items are equal here when every string is.</summary>
internal static class KnowledgeEquality
{
    public static string Canonical(KnowledgeItem i) => string.Join("\u0001",
        new[] { i.Id, i.TrainContext }.Concat(i.Paraphrases)
            .Concat(new[] { Depth.Memorization, Depth.Semantic, Depth.Composition }
                .SelectMany(d => i.Probes(d).SelectMany(p => new[] { d.Name(), p.Input, p.Target }))));

    public static IReadOnlyList<string> Canonical(KnowledgeSet s) => s.Items.Select(Canonical).ToArray();
}

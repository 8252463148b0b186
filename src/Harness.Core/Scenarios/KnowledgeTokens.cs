using System.Globalization;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;

namespace Harness.Scenarios;

/// <summary>Something the run would do to the knowledge without notice; validate reports it at <see cref="Key"/>.</summary>
/// <param name="AlsoSetBy">Other keys that share the cause (the error points at the one the most derived file set).</param>
public sealed record Degradation(string Key, string Problem, string Fix, IReadOnlyList<string> AlsoSetBy);

/// <summary>An injected text's length in tokens, end-of-text included, as a batch row receives it.</summary>
public sealed record PassageLength(string Item, int Variant, int Tokens);

/// <summary>What the tokenizer makes of a scenario's knowledge: its longest injected passage and every degradation.</summary>
public sealed record KnowledgeTokenReport(PassageLength? Longest, IReadOnlyList<Degradation> Degradations);

/// <summary>
/// The scenario's knowledge through its tokenizer, as the run will see it, so that nothing degrades silently:
/// <list type="bullet">
/// <item>a passage (each injected item and variant, with end-of-text) longer than <c>sequence_length</c> is cut to its
///   first <c>sequence_length</c> tokens, under either placement; the cut is a degradation when a probe's target, tokenized
///   as the scorer does (<c>" " + target</c>), occurs in the passage's tokens but in none of the kept ones;</item>
/// <item>an unknown token (<c>&lt;unk&gt;</c>) in an injected passage or in a probed item's probe input or target;</item>
/// <item>a probe target that is empty, blank, or tokenizes to nothing;</item>
/// <item>a tokenizer.json without a token for a byte that UTF-8 text uses (all but 0xC0, 0xC1 and 0xF5–0xFF).</item>
/// </list>
/// Probes are those of the scenario's depths for every item of a group (controls too).
/// </summary>
public static class KnowledgeTokens
{
    const string OptIn = "or set knowledge.on_degraded: warn to run with it";

    public static KnowledgeTokenReport Measure(Scenario s, KnowledgeSet knowledge, ITextTokenizer tokenizer, Func<string, IReadOnlyList<int>>? encode = null)
    {
        encode ??= tokenizer.Encode;
        var found = new List<Degradation>();
        if (tokenizer is HuggingFaceTokenizer { MissingBytes.Count: > 0 } hf)
            found.Add(new("tokenizer", $"tokenizer {hf.Name} has no token for {hf.MissingBytes.Count} of the bytes UTF-8 text uses ({Bytes(hf.MissingBytes)}), so text holding them loses them without a trace",
                $"use a byte-level tokenizer.json with a token for every byte, {OptIn}", []));

        var depths = s.Probes.Depths.Select(DepthNames.Parse).ToArray();
        var probed = s.Injection.Groups.SelectMany(g => g.Items).Distinct().ToArray();
        foreach (var item in probed)
            foreach (var depth in depths)
            {
                var probes = knowledge.Items[item].Probes(depth);
                for (var j = 0; j < probes.Count; j++)
                {
                    var what = $"the {depth.Name()} probe {j} of {KnowledgeItem.IdFor(item)}";
                    var target = encode(" " + probes[j].Target);
                    if (probes[j].Target.Trim().Length == 0 || target.Count == 0)
                        found.Add(new("knowledge.source", $"{what} has an empty target ('{ScenarioException.Echo(probes[j].Target)}'), which would be scored as {(target.Count == 0 ? "nothing" : "a space")}",
                            $"give every probe a target, {OptIn}", []));
                    Unknown(tokenizer, encode, probes[j].Input, $"the input of {what}", found);
                    Unknown(tokenizer, encode, probes[j].Target, $"the target of {what}", found);
                }
            }

        PassageLength? longest = null;
        var injected = ScenarioCompiler.Encounters(s, KnowledgeShape.Of(knowledge)).Select(e => (e.ItemIndex, e.Variant)).Distinct().OrderBy(x => x);
        foreach (var (item, variant) in injected)
        {
            var text = knowledge.Items[item].Text(variant);
            var name = $"{KnowledgeItem.IdFor(item)} ({(variant == 0 ? "original" : $"paraphrase {variant}")})";
            var passage = encode(text).Append(tokenizer.EndOfText).ToArray();
            if (longest is null || passage.Length > longest.Tokens) longest = new(KnowledgeItem.IdFor(item), variant, passage.Length);
            Unknown(tokenizer, encode, text, $"the passage of {name}", found);
            if (passage.Length <= s.Data.SequenceLength) continue;
            var kept = passage.AsSpan(0, s.Data.SequenceLength);
            foreach (var depth in depths)
            {
                var probes = knowledge.Items[item].Probes(depth);
                for (var j = 0; j < probes.Count; j++)
                {
                    var target = encode(" " + probes[j].Target).ToArray();
                    if (target.Length == 0 || !Occurs(passage, target) || Occurs(kept, target)) continue;
                    found.Add(new("data.sequence_length",
                        $"the passage of {name} is {passage.Length} tokens with end-of-text, longer than sequence_length {s.Data.SequenceLength}, and the cut removes '{ScenarioException.Echo(probes[j].Target)}', the target of its {depth.Name()} probe {j}",
                        $"raise data.sequence_length to at least {passage.Length}, use shorter passages, {OptIn}", ["knowledge.source", "knowledge.items", "tokenizer"]));
                }
            }
        }
        return new KnowledgeTokenReport(longest, found);
    }

    /// <summary>Adds an unknown-token degradation naming the first word of <paramref name="text"/> that has one.</summary>
    static void Unknown(ITextTokenizer tokenizer, Func<string, IReadOnlyList<int>> encode, string text, string what, List<Degradation> found)
    {
        if (tokenizer.UnknownId is not { } unknown || !encode(text).Contains(unknown)) return;
        var word = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => encode(w).Contains(unknown)) ?? text;
        found.Add(new("tokenizer", $"tokenizer {tokenizer.Name} has no token for '{ScenarioException.Echo(word)}' in {what}, which would become its unknown token",
            $"use a tokenizer that covers the knowledge (builtin:gpt2 or a tokenizer.json; builtin:world-words knows only the synthetic world's words), {OptIn}", ["knowledge.source"]));
    }

    static bool Occurs(ReadOnlySpan<int> text, ReadOnlySpan<int> part)
    {
        for (var i = 0; i + part.Length <= text.Length; i++)
            if (text.Slice(i, part.Length).SequenceEqual(part)) return true;
        return false;
    }

    static string Bytes(IReadOnlyList<int> bytes) =>
        string.Join(", ", bytes.Take(8).Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture))) + (bytes.Count > 8 ? ", …" : "");
}

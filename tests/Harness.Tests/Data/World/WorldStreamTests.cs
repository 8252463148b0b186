using System.Text.RegularExpressions;
using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using NUnit.Framework;
using static Harness.Tests.Support.TokenStreams;

namespace Harness.Tests.Data.World;

public class WorldStreamTests
{
    private static readonly WorldTokenizer Tok = WorldTokenizer.Create();

    [Test]
    public void A_saved_position_resumes_exactly()
    {
        using var first = new WorldStream(Tok, 5);
        Read(first, 3001);
        var saved = first.Position;
        var expected = Read(first, 2000);
        using var resumed = new WorldStream(Tok, 5) { Position = saved };
        Assert.That(Read(resumed, 2000), Is.EqualTo(expected));
        Assert.That(saved.Offset, Is.GreaterThanOrEqualTo(0));
        Assert.That(resumed.Position, Is.EqualTo(first.Position));
    }

    [Test]
    public void Documents_are_joined_by_end_of_text_and_depend_only_on_seed_and_index()
    {
        using var s = new WorldStream(Tok, 5);
        var doc0 = s.DocumentTokens(0);
        var doc1 = s.DocumentTokens(1);
        Assert.That(Read(s, doc0.Length + doc1.Length), Is.EqualTo(doc0.Concat(doc1)));
        Assert.That(doc0[^1], Is.EqualTo(Tok.EndOfText));
        Assert.That(s.Position, Is.EqualTo(new StreamPosition(2, 0)));
        string again = WorldText.Document(5, 77);
        Assert.That(WorldText.Document(5, 77), Is.EqualTo(again));
        Assert.That(WorldText.Document(6, 77), Is.Not.EqualTo(again));
    }

    [Test]
    public void Knowledge_targets_are_new_piece_sequences_made_of_background_pieces()
    {
        var targets = FictionalKnowledge.Generate(200, 1).Items
            .SelectMany(i => i.Memorization.Concat(i.Composition)).Select(p => Tok.Encode(" " + p.Target).ToArray()).ToList();
        var stream = Enumerable.Range(0, 5000).SelectMany(d => Tok.Encode(WorldText.Document(1, d))).ToArray();
        var at = stream.Select((id, k) => (id, k)).ToLookup(x => x.id, x => x.k);
        bool Occurs(int[] target) => at[target[0]].Any(k =>
            k + target.Length <= stream.Length && stream.AsSpan(k, target.Length).SequenceEqual(target));
        Assert.That(targets.Where(Occurs).Select(t => Tok.Decode(t)), Is.Empty, "no target's full token sequence occurs in the stream");
        var pieces = targets.SelectMany(t => t).ToHashSet();
        Assert.That(pieces.Where(id => !at.Contains(id)).Select(Tok.Token), Is.Empty, "every token of every target does");
        Assert.That(targets.Count(t => t.Length >= 2), Is.EqualTo(targets.Count), "targets are made of two or more pieces");
    }

    [Test]
    public void Background_documents_vary_in_sentence_form()
    {
        var sentences = Enumerable.Range(0, 2000).SelectMany(d => WorldText.Document(2, d).Split(". ")).ToList();
        // A sentence's form: its words with names and numbers blanked out.
        var forms = sentences.Select(s => Regex.Replace(s, @"\b([A-Z][a-z]+(?= [A-Z])|[0-9]+)\b", "_"))
            .Select(s => Regex.Replace(s, @"\b(?!The\b|It\b|In\b|As\b|Records\b|We\b|According\b|People\b|By\b|He\b|She\b|His\b|Her\b)[A-Z][a-z]+\b", "_"))
            .ToHashSet();
        Assert.That(sentences.Distinct().Count(), Is.GreaterThan(sentences.Count / 2));
        Assert.That(forms, Has.Count.GreaterThan(150));
    }

    [Test]
    public void Background_fact_probes_are_held_out_sentences_about_stated_facts()
    {
        var probes = WorldText.BackgroundFactProbes(300);
        Assert.That(probes, Has.Count.EqualTo(300));
        Assert.That(probes.Select(p => p.Input), Is.Unique);
        var corpus = string.Join(" ", Enumerable.Range(0, 3000).Select(d => WorldText.Document(1, d)));
        Assert.That(probes.Where(p => corpus.Contains(p.Input + " " + p.Target, StringComparison.Ordinal)), Is.Empty,
            "no probe sentence occurs in the stream");
        Assert.That(probes.Count(p => corpus.Contains(p.Target, StringComparison.Ordinal)), Is.EqualTo(300));
        var composed = WorldText.BackgroundCompositionProbes(100);
        Assert.That(composed, Has.Count.EqualTo(100));
        Assert.That(composed.Where(p => corpus.Contains(p.Input + " " + p.Target, StringComparison.Ordinal)), Is.Empty,
            "their two-hop facts are never stated");
    }
}

using FsCheck;
using FsCheck.Fluent;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using NUnit.Framework;

namespace Harness.Tests.World;

public class WorldTokenizerTests
{
    private static readonly WorldTokenizer Tok = WorldTokenizer.Create();

    [Test]
    public void Vocabulary_is_small_and_has_the_special_tokens()
    {
        Assert.That(Tok.VocabSize, Is.InRange(1000, 3000));
        Assert.That(Tok.Name, Is.EqualTo("builtin:world-words"));
        Assert.That(Tok.Token(Tok.EndOfText), Is.EqualTo("<eot>"));
        Assert.That(Tok.Encode("<eot>"), Is.EqualTo(new[] { Tok.EndOfText }));
        Assert.That(WorldTokenizer.Create(), Is.SameAs(Tok));
    }

    [Test]
    public void World_text_round_trips_with_no_unknown_words()
    {
        var texts = Enumerable.Range(0, 300).Select(d => SyntheticWorld.Document(3, d))
            .Concat(FictionalWorld.Generate(20, 1).Items.SelectMany(i => i.Paraphrases.Append(i.TrainContext)));
        foreach (var text in texts)
        {
            var ids = Tok.Encode(text);
            Assert.That(ids, Has.No.Member(Tok.Unknown), text);
            Assert.That(Tok.Decode(ids), Is.EqualTo(text));
        }
    }

    [Test]
    public void Punctuation_and_possessives_are_their_own_tokens()
    {
        var ids = Tok.Encode("In short, Vufae Brousym's employer is Nethath.");
        Assert.That(ids.Select(Tok.Token), Is.EqualTo(new[] { "In", "short", ",", "Vufae", "Brousym", "'s", "employer", "is", "Nethath", "." }));
        Assert.That(Tok.Encode("Zyzzyx 2024"), Is.EqualTo(new[] { Tok.Unknown }.Concat(Tok.Encode("2 0 2 4"))));
    }

    [Test]
    public void Probe_input_and_target_encode_as_their_concatenation()
    {
        var probes = SyntheticWorld.BackgroundFactProbes(200).Concat(SyntheticWorld.BackgroundCompositionProbes(50))
            .Concat(FictionalWorld.Generate(20, 1).Items.SelectMany(i => i.Memorization.Concat(i.Semantic).Concat(i.Composition)));
        foreach (var p in probes)
            Assert.That(Tok.Encode(p.Input).Concat(Tok.Encode(" " + p.Target)), Is.EqualTo(Tok.Encode(p.Input + " " + p.Target)));
    }

    [Test]
    public void Concatenation_holds_for_any_strings() =>
        Prop.ForAll((NonNull<string> a, NonNull<string> b) =>
                Tok.Encode(a.Get).Concat(Tok.Encode(" " + b.Get)).SequenceEqual(Tok.Encode(a.Get + " " + b.Get)))
            .QuickCheckThrowOnFailure();
}

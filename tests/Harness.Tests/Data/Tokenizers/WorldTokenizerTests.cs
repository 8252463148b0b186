using FsCheck;
using FsCheck.Fluent;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using NUnit.Framework;

namespace Harness.Tests.Data.Tokenizers;

public class WorldTokenizerTests
{
    private static readonly WorldTokenizer Tok = WorldTokenizer.Create();

    [Test]
    public void Vocabulary_is_small_and_has_the_special_tokens()
    {
        Assert.That(Tok.VocabSize, Is.InRange(500, 3000));
        Assert.That(Tok.Name, Is.EqualTo("builtin:world-words"));
        Assert.That(Tok.Token(Tok.EndOfText), Is.EqualTo("<eot>"));
        Assert.That(Tok.Encode("<eot>"), Is.EqualTo(new[] { Tok.EndOfText }));
        Assert.That(WorldTokenizer.Create(), Is.SameAs(Tok));
    }

    [Test]
    public void World_text_round_trips_with_no_unknown_words()
    {
        var texts = Enumerable.Range(0, 300).Select(d => WorldText.Document(3, d))
            .Concat(FictionalKnowledge.Generate(20, 1).Items.SelectMany(i => i.Paraphrases.Append(i.TrainContext)));
        foreach (var text in texts)
        {
            var ids = Tok.Encode(text);
            Assert.That(ids, Has.No.Member(Tok.Unknown), text);
            Assert.That(Tok.Decode(ids), Is.EqualTo(text));
        }
    }

    [Test]
    public void Punctuation_and_possessives_are_their_own_tokens_and_names_split_into_pieces()
    {
        var ids = Tok.Encode("In short, Goupu Trushaex's employer is Soupemik.");
        Assert.That(ids.Select(Tok.Token), Is.EqualTo(new[]
            { "In", "short", ",", "Gou", "##pu", "Tru", "##shae", "##x", "'s", "employer", "is", "Sou", "##pe", "##mi", "##k", "." }));
        Assert.That(Tok.Decode(ids), Is.EqualTo("In short, Goupu Trushaex's employer is Soupemik."));
        Assert.That(Tok.Encode("Zyzzyx 2024"), Is.EqualTo(new[] { Tok.Unknown }.Concat(Tok.Encode("2 0 2 4"))));
        Assert.That(Tok.Encode("brakoth"), Is.EqualTo(new[] { Tok.Unknown }), "an inner piece alone does not start a word");
    }

    [Test]
    public void Names_are_two_or_three_pieces_and_no_reserved_name_is_a_background_prefix()
    {
        var background = new[] { Lexicon.PersonFirstNames, Lexicon.PersonLastNames, Lexicon.Cities, Lexicon.Organisations,
            Lexicon.Countries, Lexicon.Rivers, Lexicon.Languages }.SelectMany(p => p).ToList();
        var reserved = new[] { Lexicon.ReservedFirstNames, Lexicon.ReservedLastNames, Lexicon.ReservedCities,
            Lexicon.ReservedOrganisations, Lexicon.ReservedCountries }.SelectMany(p => p).ToList();
        foreach (var name in background.Concat(reserved))
            Assert.That(Tok.Encode(name), Has.Count.InRange(2, 3).And.No.Member(Tok.Unknown), name);
        Assert.That(background.Select(n => Tok.Encode(n)[0]), Is.Unique, "a background name's first piece identifies it");
        Assert.That(background.Concat(reserved), Is.Unique);
        string Key(IEnumerable<int> ids) => string.Join(",", ids) + ",";
        var backgroundKeys = background.Select(n => Key(Tok.Encode(n))).ToList();
        var reservedKeys = reserved.Select(n => Key(Tok.Encode(n))).ToList();
        Assert.That(reservedKeys.Where(r => backgroundKeys.Any(b => b.StartsWith(r, StringComparison.Ordinal))), Is.Empty);
        Assert.That(reservedKeys.Where(r => reservedKeys.Count(o => o.StartsWith(r, StringComparison.Ordinal)) > 1), Is.Empty,
            "no reserved name is a piece-prefix of another");
    }

    [Test]
    public void Probe_input_and_target_encode_as_their_concatenation()
    {
        var probes = WorldText.BackgroundFactProbes(200).Concat(WorldText.BackgroundCompositionProbes(50))
            .Concat(FictionalKnowledge.Generate(20, 1).Items.SelectMany(i => i.Memorization.Concat(i.Semantic).Concat(i.Composition)));
        foreach (var p in probes)
            Assert.That(Tok.Encode(p.Input).Concat(Tok.Encode(" " + p.Target)), Is.EqualTo(Tok.Encode(p.Input + " " + p.Target)));
    }

    [Test]
    public void Concatenation_holds_for_any_strings() =>
        Prop.ForAll((NonNull<string> a, NonNull<string> b) =>
                Tok.Encode(a.Get).Concat(Tok.Encode(" " + b.Get)).SequenceEqual(Tok.Encode(a.Get + " " + b.Get)))
            .QuickCheckThrowOnFailure();
}

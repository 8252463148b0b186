using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Scenarios;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Training;

/// <summary>Where injected knowledge goes in a row, for both placements, and that the background stream does not care.</summary>
public class BatchComposerTests
{
    private const int Batch = 4, Length = 96;
    private static readonly WorldTokenizer Tokenizer = WorldTokenizer.Create();
    private static readonly KnowledgeSet Knowledge = FictionalKnowledge.Generate(2, seed: 3);
    private static readonly PlannedInjection Row2 = new(0, 2, 1, "fk-001", "g", 0, 1);

    private static long[] Compose(string placement, params PlannedInjection[] injections) =>
        new BatchComposer(new WorldStream(Tokenizer, 9), Knowledge, Tokenizer, Batch, Length, placement).Compose(injections);

    private static long[] Knowledge1() => [.. Tokenizer.Encode(Knowledge.Items[1].TrainContext).Select(i => (long)i), Tokenizer.EndOfText];

    private static long[] Row(long[] ids, int r) => ids.AsSpan(r * Length, Length).ToArray();

    [Test]
    public void Prepend_puts_knowledge_and_end_of_text_before_the_row_and_cuts_its_end()
    {
        var plain = Compose("prepend");
        var ids = Compose("prepend", Row2);
        var k = Knowledge1();
        Assert.That(k.Length, Is.LessThan(Length), "the test needs a passage shorter than a row");
        Assert.That(Row(ids, 2), Is.EqualTo(k.Concat(Row(plain, 2).Take(Length - k.Length))));
    }

    [Test]
    public void Replace_overwrites_the_start_of_the_row_and_keeps_the_rest_of_its_background()
    {
        var plain = Compose("replace");
        var ids = Compose("replace", Row2);
        var k = Knowledge1();
        Assert.That(Row(ids, 2), Is.EqualTo(k.Concat(Row(plain, 2).Skip(k.Length))));
    }

    [TestCase("prepend")]
    [TestCase("replace")]
    public void Rows_without_knowledge_and_the_next_batch_are_the_same_whatever_is_injected(string placement)
    {
        var stream = new WorldStream(Tokenizer, 9);
        var composer = new BatchComposer(stream, Knowledge, Tokenizer, Batch, Length, placement);
        var (withKnowledge, next) = (composer.Compose([Row2]), composer.Compose([]));
        var plainComposer = new BatchComposer(new WorldStream(Tokenizer, 9), Knowledge, Tokenizer, Batch, Length, placement);
        var (plain, plainNext) = (plainComposer.Compose([]), plainComposer.Compose([]));
        foreach (var r in new[] { 0, 1, 3 }) Assert.That(Row(withKnowledge, r), Is.EqualTo(Row(plain, r)), $"row {r}");
        Assert.That(next, Is.EqualTo(plainNext));
    }
}

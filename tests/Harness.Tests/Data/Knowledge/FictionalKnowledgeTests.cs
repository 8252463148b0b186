using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.Knowledge;

public class FictionalKnowledgeTests
{
    private static readonly KnowledgeSet Set = FictionalKnowledge.Generate(40, seed: 7);

    [Test]
    public void Same_seed_gives_the_same_items_and_another_seed_different_ones()
    {
        Assert.That(KnowledgeEquality.Canonical(FictionalKnowledge.Generate(40, 7)), Is.EqualTo(KnowledgeEquality.Canonical(Set)));
        var other = FictionalKnowledge.Generate(40, 8);
        Assert.That(Enumerable.Range(0, 40).Count(i => KnowledgeEquality.Canonical(other.Items[i]) == KnowledgeEquality.Canonical(Set.Items[i])),
            Is.Zero);
    }

    [Test]
    public void Item_i_does_not_depend_on_how_many_items_are_generated()
    {
        var few = FictionalKnowledge.Generate(5, 7);
        Assert.That(KnowledgeEquality.Canonical(few), Is.EqualTo(KnowledgeEquality.Canonical(Set).Take(5)));
    }

    [Test]
    public void Items_follow_the_paper_schema()
    {
        for (int i = 0; i < Set.Items.Count; i++)
        {
            var item = Set.Items[i];
            Assert.That(item.Id, Is.EqualTo(KnowledgeItem.IdFor(i)));
            Assert.That(item.Paraphrases, Has.Count.EqualTo(9));
            Assert.That(item.Paraphrases.Append(item.TrainContext), Is.Unique, "paraphrases differ from each other and from the passage");
            Assert.That(item.Memorization, Has.Count.EqualTo(5));
            Assert.That(item.Semantic, Has.Count.EqualTo(5));
            Assert.That(item.Composition, Has.Count.EqualTo(5));
        }
    }

    [Test]
    public void Items_share_no_target_so_control_items_stay_untouched()
    {
        var targets = FictionalKnowledge.Generate(150, 3).Items
            .Select(i => i.Memorization.Concat(i.Composition).Select(p => p.Target).ToHashSet()).ToList();
        var all = targets.SelectMany(t => t).ToList();
        Assert.That(all, Is.Unique);
    }

    [Test]
    public void Memorization_probes_are_sentences_of_the_passage_cut_before_the_target()
    {
        foreach (var item in Set.Items)
            foreach (var p in item.Memorization)
                Assert.That(item.TrainContext, Does.Contain(p.Input + " " + p.Target + "."));
    }

    [Test]
    public void Semantic_probes_rephrase_the_memorization_probe_with_the_same_target()
    {
        foreach (var item in Set.Items)
            for (int k = 0; k < 5; k++)
            {
                Assert.That(item.Semantic[k].Target, Is.EqualTo(item.Memorization[k].Target));
                Assert.That(item.Semantic[k].Input, Is.Not.EqualTo(item.Memorization[k].Input));
                Assert.That(item.TrainContext, Does.Not.Contain(item.Semantic[k].Input + " " + item.Semantic[k].Target + "."));
            }
    }

    [Test]
    public void Every_paraphrase_states_every_target_and_changes_each_sentence()
    {
        foreach (var item in Set.Items)
        {
            var sentences = item.TrainContext.Split(". ").Select(s => s.TrimEnd('.')).ToHashSet();
            foreach (var text in item.Paraphrases)
            {
                foreach (var p in item.Memorization.Concat(item.Composition)) Assert.That(text, Does.Contain(p.Target));
                Assert.That(text.Split(". ").Select(s => s.TrimEnd('.')).Where(sentences.Contains), Is.Empty);
            }
        }
    }

    [Test]
    public void Composition_probes_need_two_facts_of_the_passage()
    {
        foreach (var item in Set.Items)
            foreach (var p in item.Composition)
            {
                Assert.That(item.TrainContext, Does.Contain(p.Target), "the answer is stated in the passage");
                Assert.That(item.TrainContext, Does.Not.Contain(p.Input), "but not by the cloze's own sentence");
            }
    }

    [Test]
    public void Passages_are_a_good_fraction_of_a_128_token_sequence_and_fully_in_vocabulary()
    {
        var tok = WorldTokenizer.Create();
        foreach (var text in Set.Items.SelectMany(i => i.Paraphrases.Append(i.TrainContext)))
        {
            var ids = tok.Encode(text);
            Assert.That(ids, Has.Count.InRange(60, 120), "fits a 128-token row with room for the end of text");
            Assert.That(ids, Has.No.Member(tok.Unknown));
        }
    }

    [Test]
    public void Generator_output_saved_in_the_paper_format_loads_back_identical()
    {
        using var folder = new TempFolder();
        var path = folder.File("fictional-world.json");
        PaperKnowledgeFile.Save(path, Set);
        Assert.That(KnowledgeEquality.Canonical(PaperKnowledgeFile.Load(path)), Is.EqualTo(KnowledgeEquality.Canonical(Set)));
    }
}

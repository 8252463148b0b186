using Harness.Data.Knowledge;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.Knowledge;

public class PaperKnowledgeFileTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TempFolder();

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    private static string SharedFile() => Repository.SharedOrIgnore("fictional-knowledge/fictional_knowledge_paraphrased.json");

    [Test]
    public void Loads_the_papers_dataset()
    {
        var set = PaperKnowledgeFile.Load(SharedFile());
        Assert.That(set.Items, Has.Count.EqualTo(130));
        Assert.That(set.Items.Take(40).Select(i => i.Paraphrases.Count), Is.All.EqualTo(9));
        Assert.That(set.Items.Skip(40).Select(i => i.Paraphrases.Count), Is.All.EqualTo(0));
        Assert.That(set.Items[0].Id, Is.EqualTo("fk-000"));
        Assert.That(set.Items[0].TrainContext, Does.StartWith("The fortieth government of Mars"));
        // A memorization probe is a sentence of the passage, cut before its target.
        Assert.That(set.Items[0].TrainContext, Does.Contain(set.Items[0].Memorization[0].Input));
    }

    [Test]
    public void The_papers_dataset_round_trips()
    {
        var set = PaperKnowledgeFile.Load(SharedFile());
        var copy = folder.File("copy.json");
        PaperKnowledgeFile.Save(copy, set);
        Assert.That(KnowledgeEquality.Canonical(PaperKnowledgeFile.Load(copy)), Is.EqualTo(KnowledgeEquality.Canonical(set)));
    }

    private const string Five = """["a","b","c","d","e"]""";

    private static string Item(string? omit = null, string? replace = null, string? with = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["train_context"] = "\"A passage.\"", ["mem_input"] = Five, ["mem_target"] = Five, ["gen_input"] = Five,
            ["gen_target"] = Five, ["hard_gen_input"] = Five, ["hard_gen_target"] = Five, ["paraphrases"] = "[]",
        };
        if (omit is not null) fields.Remove(omit);
        if (replace is not null) fields[replace] = with!;
        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    private string Write(string json) => folder.Write("fk.json", json);

    [Test]
    public void A_valid_minimal_file_loads()
    {
        var set = PaperKnowledgeFile.Load(Write($"[{Item()},{Item()}]"));
        Assert.That(set.Items, Has.Count.EqualTo(2));
        Assert.That(set.Items[1].Composition[4], Is.EqualTo(new ProbeText("e", "e")));
    }

    [TestCase("train_context")]
    [TestCase("mem_target")]
    [TestCase("hard_gen_input")]
    [TestCase("paraphrases")]
    public void A_missing_field_names_file_item_and_field(string field)
    {
        var path = Write($"[{Item()},{Item(omit: field)}]");
        var e = Assert.Throws<KnowledgeFileException>(() => PaperKnowledgeFile.Load(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("item 1").And.Contain($"'{field}'").And.Contain("missing"));
    }

    [TestCase("train_context", "42", "must be a string")]
    [TestCase("gen_input", "\"one\"", "must be a list")]
    [TestCase("gen_target", """["a","b","c","d"]""", "must hold 5")]
    [TestCase("mem_input", """["a","b",3,"d","e"]""", "[2] must be a string")]
    [TestCase("paraphrases", "{}", "must be a list")]
    public void A_mistyped_field_names_file_item_and_field(string field, string value, string complaint)
    {
        var path = Write($"[{Item(replace: field, with: value)}]");
        var e = Assert.Throws<KnowledgeFileException>(() => PaperKnowledgeFile.Load(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("item 0").And.Contain($"'{field}'").And.Contain(complaint));
    }

    [Test]
    public void Broken_json_and_wrong_top_level_are_input_errors()
    {
        Assert.That(() => PaperKnowledgeFile.Load(Write("[{\"train_context\": ")), Throws.InstanceOf<InputException>().With.Message.Contain("not valid JSON"));
        Assert.That(() => PaperKnowledgeFile.Load(Write(Item())), Throws.InstanceOf<InputException>().With.Message.Contain("must be a JSON list"));
        Assert.That(() => PaperKnowledgeFile.Load(folder.File("absent.json")), Throws.InstanceOf<InputException>().With.Message.Contain("not found"));
    }
}

using System.Text.Json;
using Harness.Data.Tokenizers;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>
/// What the tokenizer would do to the knowledge is an error at validate, or a warning with
/// <c>knowledge.on_degraded: warn</c> (the rejections themselves are fixtures in Invalid/: knowledge-*, tokenizer-*).
/// </summary>
public class KnowledgeDegradationTests
{
    /// <summary>One item in the paper's format: every probe of every depth asks <paramref name="input"/> for <paramref name="target"/>.</summary>
    static string Item(string passage, string input, string target, string? composition = null)
    {
        var inputs = Enumerable.Repeat(input, 5).ToArray();
        var targets = Enumerable.Repeat(target, 5).ToArray();
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["train_context"] = passage, ["paraphrases"] = Array.Empty<string>(),
            ["mem_input"] = inputs, ["mem_target"] = targets, ["gen_input"] = inputs, ["gen_target"] = targets,
            ["hard_gen_input"] = inputs, ["hard_gen_target"] = Enumerable.Repeat(composition ?? target, 5).ToArray(),
        });
    }

    static string Scenario(TempFolder files, string item, int sequenceLength, string extra = "")
    {
        files.Write("k.json", $"[{item}]");
        return files.Write("s.yaml", $$"""
            tokenizer: builtin:gpt2
            data: { sequence_length: {{sequenceLength}} }
            knowledge: { source: k.json{{extra}} }
            training: { steps: 10 }
            injection: { groups: [{ name: g, items: [0], at: [0] }] }
            """);
    }

    static readonly string Filler = string.Concat(Enumerable.Repeat(" The weather in the valley was mild that year.", 12));

    [Test]
    public void A_cut_that_keeps_every_probed_target_is_no_degradation()
    {
        using var files = new TempFolder();
        var path = Scenario(files, Item("Zorbin Quell was born in Paris." + Filler, "Zorbin Quell was born in", "Paris", composition: "France"), 20);
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: false);
        Assert.That(loaded.Warnings, Is.Empty);
        Assert.That(loaded.LongestPassages.Single()!.Tokens, Is.GreaterThan(20), "the passage is cut, but after the target; France is never in it");
    }

    [Test]
    public void A_cut_that_removes_a_target_names_passage_target_and_length()
    {
        using var files = new TempFolder();
        var path = Scenario(files, Item("Zorbin Quell" + Filler + " He was born in Paris.", "Zorbin Quell was born in", "Paris"), 20);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: true))!;
        Assert.That(e.Message, Does.Contain("s.yaml:2:26: the passage of fk-000 (original) is ").And.Contain("tokens with end-of-text, longer than sequence_length 20, and the cut removes 'Paris', the target of its memorization probe 0"));
    }

    [Test]
    public void With_on_degraded_warn_the_scenario_loads_and_says_what_degrades()
    {
        using var files = new TempFolder();
        var path = Scenario(files, Item("Zorbin Quell" + Filler + " He was born in Paris.", "Zorbin Quell was born in", "Paris"), 20, ", on_degraded: warn");
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: false);
        Assert.That(loaded.Warnings, Is.Not.Empty.And.All.Contain("(knowledge.on_degraded: warn)"));
        Assert.That(loaded.Warnings[0], Does.Contain("s.yaml:2:26: the passage of fk-000 (original)").And.Contain("the cut removes 'Paris'"));

        var (code, stdout, stderr) = HarnessProcess.Run("validate", path);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stderr, Does.Contain("warning: ").And.Contain("the cut removes 'Paris'"));
    }

    [Test]
    public void Plan_reports_the_longest_passage_against_sequence_length()
    {
        using var files = new TempFolder();
        var path = files.Write("s.yaml", """
            data: { sequence_length: 16 }
            knowledge: { on_degraded: warn }
            training: { steps: 10 }
            injection: { groups: [{ name: g, items: [0, 1], at: [0, 5], text: paraphrase }] }
            """);
        var passages = Harness.Data.Knowledge.FictionalKnowledge.Generate(2, 1234).Items
            .SelectMany((item, i) => new[] { 0, 1 }.Select(v => (Id: $"fk-00{i}", Variant: v, Tokens: WorldTokenizer.Create().Encode(item.Text(v)).Count + 1)))
            .OrderByDescending(p => p.Tokens).ThenBy(p => p.Id).ThenBy(p => p.Variant).First();
        var (code, stdout, stderr) = HarnessProcess.Run("plan", path);
        Assert.That(code, Is.EqualTo(0), stderr);
        var variant = passages.Variant == 0 ? "original" : "paraphrase 1";
        Assert.That(stdout, Does.Contain($"longest passage: {passages.Id} ({variant}), {passages.Tokens} tokens with end-of-text, over sequence_length 16: cut to its first 16"));
    }

    [Test]
    public void An_unknown_token_in_a_probe_input_is_named()
    {
        using var files = new TempFolder();
        files.Write("k.json", $"[{Item("He was born in Paris.", "Where was Qxzzyv born", "Paris")}]");
        var path = files.Write("s.yaml", "knowledge: { source: k.json }\ninjection: { groups: [{ name: c, items: [0], control: true }] }\n");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: false))!;
        Assert.That(e.Message, Does.Contain("s.yaml:1:22: tokenizer builtin:world-words has no token for 'Qxzzyv' in the input of the memorization probe 0 of fk-000"));
    }

    [Test]
    public void A_blank_target_is_empty()
    {
        using var files = new TempFolder();
        var path = Scenario(files, Item("He was born in Paris.", "He was born in", "   "), 128);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: false))!;
        Assert.That(e.Message, Does.Contain("the memorization probe 0 of fk-000 has an empty target ('   ')"));
    }

    [Test]
    public void A_deferred_tokenizer_leaves_the_check_to_run()
    {
        using var files = new TempFolder();
        var path = files.Write("s.yaml", """
            tokenizer: ${HARNESS_TEST_UNSET_TOKENIZER}
            data: { sequence_length: 16 }
            training: { steps: 10 }
            injection: { groups: [{ name: g, items: [0], at: [0] }] }
            """);
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        Assert.That(loaded.LongestPassages.Single(), Is.Null);
        Assert.That(loaded.Notes, Has.Some.Contains("the knowledge is checked against the tokenizer at run"));
    }

    [Test]
    public void Bytes_that_UTF8_never_uses_need_no_token()
    {
        var missing = HuggingFaceTokenizer.Load(Path.Combine(InvalidScenarioTests.FixtureDir, "tokenizer-missing-bytes.json")).MissingBytes;
        Assert.That(missing, Is.EqualTo(new[] { 0x00, 0x01, 0x7F }));
        var olmo = HuggingFaceTokenizer.Load(Repository.SharedOrIgnore("tokenizers/olmo-gpt-neox-dolma-v1_5.json"));
        Assert.That(olmo.MissingBytes, Is.Empty, "OLMo's vocabulary lacks only 0xC0, 0xC1 and 0xF5–0xFF");
    }

    [Test]
    public void The_papers_knowledge_fits_the_papers_rows()
    {
        var knowledge = Repository.SharedOrIgnore("fictional-knowledge/fictional_knowledge_paraphrased.json");
        var tokenizer = Repository.SharedOrIgnore("tokenizers/olmo-gpt-neox-dolma-v1_5.json");
        using var files = new TempFolder();
        var path = files.Write("paper.yaml", $"""
            extends: {Path.Combine(Repository.Root, "scenarios", "paper", "base.yaml")}
            tokenizer: {tokenizer}
            knowledge: {"{"} source: {knowledge} {"}"}
            """);
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        Assert.That(loaded.Warnings, Is.Empty);
        Assert.That(loaded.LongestPassages.Single()!.Tokens, Is.EqualTo(687).And.LessThan(2048), "fk-016's original passage");
    }
}

using Harness.Tests.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>The <c>harness validate</c>, <c>plan</c> and <c>pretrain</c> verbs as a user runs them: exit codes and output.</summary>
public class CliTests
{
    static (int Code, string Out) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    [Test]
    public void Validate_an_invalid_scenario_exits_2_with_file_line_column_and_no_stack_trace()
    {
        var file = Path.Combine(InvalidScenarioTests.FixtureDir, "unknown-nested-key.yaml");
        var (code, output) = Harness("validate", file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output.Replace("\n", ""), Does.Contain("unknown-nested-key.yaml:3:3: unknown key 'sequnce_length' in data"));
        Assert.That(output, Does.Not.Contain("   at "));
    }

    [Test]
    public void Plan_json_of_a_matrix_is_an_array_with_one_object_per_cell()
    {
        using var files = new TempFolder();
        var path = files.Write("m.yaml", """
            training: { steps: 3 }
            injection: { groups: [{ name: g, items: [4], at: [1] }] }
            matrix: { data.batch_size: [2, 4] }
            """);
        var (code, json) = Harness("plan", path, "--json");
        Assert.That(code, Is.EqualTo(0));
        // The default knowledge (seed 1234) and tokenizer, as plan measures the passage: its tokens and end-of-text.
        var tokens = global::Harness.Data.Tokenizers.WorldTokenizer.Create().Encode(global::Harness.Data.Knowledge.FictionalKnowledge.Generate(5, 1234).Items[4].TrainContext).Count + 1;
        string Cell(int batch) => $$"""{"name":"m[data.batch_size={{batch}}]","cell":{"data.batch_size":"{{batch}}"},"steps":3,"batch_size":{{batch}},"sequence_length":128,"injections":[{"step":1,"row":0,"item":"fk-004","group":"g","variant":0,"encounter":0}],"longest_passage":{"item":"fk-004","variant":0,"tokens":{{tokens}}},"eval_count":4,"eval_steps":[{"from":0,"to":3,"every":1}]}""";
        Assert.That(json.Trim(), Is.EqualTo($"[{Cell(2)},{Cell(4)}]"));
    }

    [Test]
    public void Plan_help_renders()
    {
        var (code, output) = Harness("plan", "--help");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("--json"));
    }

    [Test]
    public void Pretrain_an_unknown_recipe_exits_2_naming_the_recipes_there_are()
    {
        var (code, output) = Harness("pretrain", "pretrain-huge");
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output.Replace("\n", ""), Does.Contain("no built-in pretraining recipe named pretrain-huge; the recipes are pretrain-narrow-2, pretrain-narrow, pretrain-wide-2, pretrain-wide, pretrain"));
        Assert.That(output, Does.Not.Contain("   at "));
    }
}

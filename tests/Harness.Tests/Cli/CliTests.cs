using Harness.Tests.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>The <c>harness validate</c>, <c>plan</c> and <c>pretrain</c> verbs as a user runs them: exit codes and output.</summary>
public class CliTests
{
    static (int Code, string Out) Harness(params string[] args)
    {
        var (code, stdout, stderr) = HarnessProcess.Run(args);
        return (code, stdout + stderr);
    }

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
        var one = """{"injections":[{"step":1,"item":"fk-004","group":"g","variant":0}],"eval_steps":[0,1,2,3]}""";
        Assert.That(json.Trim(), Is.EqualTo($"[{one},{one}]"));
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
        Assert.That(output.Replace("\n", ""), Does.Contain("no built-in pretraining recipe named pretrain-huge; the recipes are pretrain-narrow, pretrain-wide, pretrain"));
        Assert.That(output, Does.Not.Contain("   at "));
    }
}

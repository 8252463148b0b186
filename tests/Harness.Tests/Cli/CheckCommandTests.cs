using Harness.Analysis;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary><c>harness check</c> decides a scenario's findings only on runs of that scenario, as it reads now.</summary>
public class CheckCommandTests
{
    private const string Scenario = """
        name: checked
        training: { steps: 120, optimizer: { lr: 1.0e-3 } }
        injection:
          groups:
            - { name: once, items: 0..7, at: [20] }
            - { name: control, items: 8..15, control: true }
        expect:
          - effectivity_positive
        """;

    private static (int Code, string Output) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    private static string RunOf(TempFolder folder, string scenarioPath)
    {
        var dir = System.IO.Path.Combine(folder.Path, "runs");
        SyntheticRun.Write(dir, new SyntheticRunSpec
        {
            Scenario = "checked", Steps = 120, Noise = 0.02, Of = ScenarioLoader.Load(scenarioPath).Single(),
            Groups = [new("once", 8, [20], Effectivity: 0.8), new("control", 8, [], Control: true)],
        });
        return dir;
    }

    [Test]
    public void Check_decides_the_findings_on_a_run_of_the_scenario()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("checked.yaml", Scenario);
        var (code, output) = Harness("check", scenario, "--out", RunOf(folder, scenario));
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("effectivity_positive").And.Contain("holds"));
    }

    [Test]
    public void Check_refuses_a_run_of_the_scenario_as_it_read_before_an_edit()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("checked.yaml", Scenario);
        var runs = RunOf(folder, scenario);
        File.WriteAllText(scenario, Scenario.Replace("lr: 1.0e-3", "lr: 3.0e-3"));
        var (code, output) = Harness("check", scenario, "--out", runs);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("is not of checked").And.Contain("training.optimizer.lr: 0.001 → 0.003"));
        Assert.That(output, Does.Not.Contain("   at "));
    }

    [Test]
    public void Check_refuses_a_stopped_run_unless_partial()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("checked.yaml", Scenario);
        var runs = RunOf(folder, scenario);
        var manifest = System.IO.Path.Combine(runs, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"status\": \"complete\"", "\"status\": \"stopped\""));
        var refused = Harness("check", scenario, "--out", runs);
        Assert.That(refused.Code, Is.EqualTo(2), refused.Output);
        Assert.That(refused.Output, Does.Contain("not complete").And.Contain("--partial"));
        var partial = Harness("check", scenario, "--out", runs, "--partial");
        Assert.That(partial.Code, Is.EqualTo(0), partial.Output);
    }
}

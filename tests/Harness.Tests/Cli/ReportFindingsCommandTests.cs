using Harness.Analysis;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness report --findings</c>: the findings table of several scenarios, each decided on its own runs, found as
/// <c>harness check</c> finds them.
/// </summary>
public class ReportFindingsCommandTests
{
    private static string Scenario(string name, string expect) => $"""
        name: {name}
        training: {"{"} steps: 120, optimizer: {"{"} lr: 1.0e-3 {"}"} {"}"}
        injection:
          groups:
            - {"{"} name: once, items: 0..7, at: [20] {"}"}
            - {"{"} name: control, items: 8..15, control: true {"}"}
        expect:
        {expect}
        """;

    private static (int Code, string Output) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    /// <summary>A scenario file and a run of it under DIR/runs-NAME, as harness run --out DIR/runs-NAME writes it.</summary>
    private static (string File, string Runs) Written(TempFolder folder, string name, string expect)
    {
        var file = folder.Write($"{name}.yaml", Scenario(name, expect));
        var runs = Path.Combine(folder.Path, $"runs-{name}");
        SyntheticRun.Write(runs, new SyntheticRunSpec
        {
            Scenario = name, Steps = 120, Noise = 0.02, Of = ScenarioLoader.Load(file).Single(),
            Groups = [new("once", 8, [20], Effectivity: 0.8), new("control", 8, [], Control: true)],
        });
        return (file, runs);
    }

    [Test]
    public void The_table_has_a_row_per_entry_of_every_scenario_on_its_own_runs()
    {
        using var folder = new TempFolder();
        var a = Written(folder, "first", "  - forgets_faster: { group: once, than: once }");
        var b = Written(folder, "second", "  - effectivity_positive");
        var (code, output) = Harness("report", "--findings", a.File, b.File, "--runs", a.Runs, "--runs", b.Runs);
        Assert.That(code, Is.EqualTo(0), output);
        var table = output.Split('\n').Where(l => l.StartsWith('|')).ToArray();
        Assert.That(table, Has.Length.EqualTo(4), output);
        var rows = table[1..];
        Assert.That(rows[1], Does.StartWith("| 1 | `").And.Contain("second.yaml:8` | effectivity > 0 | holds | lowest bound: "));
        Assert.That(rows[2], Does.StartWith("| 5 | `").And.Contain("first.yaml:8` | once forgets faster than once | fails, calibrated at 2 seeds, run with 1: reported only | lowest bound: a(once) − a(once): 0.000 "));

        var file = Path.Combine(folder.Path, "findings.md");
        var written = Harness("report", "--findings", a.File, b.File, "--runs", a.Runs, "--runs", b.Runs, "--out", file);
        Assert.That(written.Code, Is.EqualTo(0), written.Output);
        Assert.That(File.ReadAllText(file), Is.EqualTo(string.Join("\n", table) + "\n"), "the file holds the same table as standard output");
    }

    [Test]
    public void A_scenario_without_its_runs_is_an_input_error()
    {
        using var folder = new TempFolder();
        var a = Written(folder, "first", "  - effectivity_positive");
        var (code, output) = Harness("report", "--findings", a.File, "--runs", Path.Combine(folder.Path, "nowhere"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("no run of first here").And.Contain("harness run"));
        Assert.That(output, Does.Not.Contain("   at "));
    }

    [Test]
    public void Runs_are_named_once_per_scenario_and_only_with_findings()
    {
        using var folder = new TempFolder();
        var a = Written(folder, "first", "  - effectivity_positive");
        var b = Written(folder, "second", "  - effectivity_positive");
        var uneven = Harness("report", "--findings", a.File, b.File, "--runs", a.Runs);
        Assert.That(uneven.Code, Is.EqualTo(2), uneven.Output);
        Assert.That(uneven.Output, Does.Contain("--runs is given 1 times for 2 scenarios"));
        var without = Harness("report", a.Runs, "--runs", a.Runs);
        Assert.That(without.Code, Is.EqualTo(2), without.Output);
        Assert.That(without.Output, Does.Contain("give it with --findings"));
    }

    [Test]
    public void A_scenario_that_does_not_load_is_an_input_error()
    {
        using var folder = new TempFolder();
        var broken = folder.Write("broken.yaml", "name: broken\ntraining: { steps: -1 }\n");
        var (code, output) = Harness("report", "--findings", broken);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("broken.yaml"));
    }
}

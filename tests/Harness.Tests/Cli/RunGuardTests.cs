using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary><c>harness run</c> as a user meets it when the output folder already holds a run.</summary>
[Category("Training")]
public class RunGuardTests
{
    private const string Scenario = """
        name: guarded
        seed: 3
        runtime: { threads: 1, checkpoint_every: 5 }
        model: { checkpoint: scratch, architecture: { d_model: 32, layers: 1, heads: 2 } }
        data: { batch_size: 2, sequence_length: 32 }
        knowledge: { on_degraded: warn }   # 32-token rows cut the passages; the test is about the output folder
        training: { steps: 10 }
        injection: { groups: [{ name: once, items: 0..1, at: [2] }, { name: ctl, items: 2..3, control: true }] }
        probes: { depths: [memorization] }
        """;

    private static (int Code, string Output) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    [Test]
    public void A_second_run_into_the_same_folder_is_refused_and_force_replaces_it()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("guarded.yaml", Scenario);
        var runDir = folder.File("out");
        Assert.That(Harness("run", scenario, "--out", runDir).Code, Is.EqualTo(0));
        var first = File.ReadAllBytes(System.IO.Path.Combine(runDir, "trajectory.csv"));

        var again = Harness("run", scenario, "--out", runDir);
        Assert.That(again.Code, Is.EqualTo(2), again.Output);
        Assert.That(again.Output, Does.Contain("holds a complete run of guarded").And.Contain("--force"));

        var edited = folder.Write("other.yaml", Scenario.Replace("name: guarded", "name: other"));
        var other = Harness("run", edited, "--out", runDir);
        Assert.That(other.Code, Is.EqualTo(2), "another scenario's run is never overwritten");

        var forced = Harness("run", scenario, "--out", runDir, "--force");
        Assert.That(forced.Code, Is.EqualTo(0), forced.Output);
        Assert.That(File.ReadAllBytes(System.IO.Path.Combine(runDir, "trajectory.csv")), Is.EqualTo(first));
        Assert.That(File.Exists(System.IO.Path.Combine(runDir, ".harness.lock")), Is.False);
    }

    [Test]
    public void Resume_and_force_together_are_refused()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("guarded.yaml", Scenario);
        var (code, output) = Harness("run", scenario, "--out", folder.File("out"), "--resume", "--force");
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("give one of them"));
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>
/// A run directory never silently receives a second run: RunClaim refuses an occupied directory, resumes only the same
/// experiment with the same inputs, replaces only when told, and one process writes at a time.
/// </summary>
public class RunClaimTests
{
    private TempFolder folder = null!;
    private Scenario scenario = null!;

    [SetUp]
    public void MakeRun()
    {
        folder = new TempFolder();
        scenario = ScenarioLoader.Load(folder.Write("s.yaml", """
            training: { steps: 50, optimizer: { lr: 1.0e-3 } }
            injection: { groups: [{ name: once, items: 0..3, at: [5] }, { name: ctl, items: 4..5, control: true }] }
            """)).Single();
    }

    [TearDown]
    public void Remove() => folder.Dispose();

    private static readonly IReadOnlyList<ManifestInput> Inputs = [new("tokenizer", "builtin:world-words", "aaaa"), new("corpus", "c.npy", "bbbb")];

    /// <summary>A stopped run of <paramref name="s"/>: manifest (running), a checkpoint folder, the trajectory so far.</summary>
    private string StoppedRun(Scenario s, IReadOnlyList<ManifestInput> inputs, string name = "run")
    {
        var dir = Path.Combine(folder.Path, name);
        var m = SyntheticRun.Write(dir, new SyntheticRunSpec { Steps = 50, Groups = [new("once", 4, [5])], Of = s });
        RunManifestFile.Write(Path.Combine(dir, RunDirectory.ManifestFile), m with { Status = "stopped", Inputs = inputs });
        Directory.CreateDirectory(Path.Combine(dir, RunPaths.CheckpointDir));
        File.WriteAllText(Path.Combine(dir, RunPaths.CheckpointDir, "state.json"), "{}");
        return dir;
    }

    private static string Refusal(Action take) => Assert.Throws<InputException>(() => take())!.Message;

    [Test]
    public void A_fresh_run_takes_an_empty_or_missing_folder()
    {
        using (RunClaim.Take(Path.Combine(folder.Path, "new"), RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs)) { }
        Assert.That(File.Exists(Path.Combine(folder.Path, "new", RunLock.FileName)), Is.False, "the lock goes with the claim");
    }

    [Test]
    public void A_fresh_run_into_a_folder_holding_a_run_is_refused_and_nothing_is_touched()
    {
        var dir = StoppedRun(scenario, Inputs);
        var before = Directory.GetFileSystemEntries(dir).Order().ToArray();
        var message = Refusal(() => RunClaim.Take(dir, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs));
        Assert.That(message, Does.Contain("holds a stopped run of").And.Contain("--resume").And.Contain("--force").And.Contain("checkpoint"));
        Assert.That(Directory.GetFileSystemEntries(dir).Order(), Is.EqualTo(before));
    }

    [Test]
    public void Replacing_removes_everything_the_old_run_wrote_and_nothing_else()
    {
        var dir = StoppedRun(scenario, Inputs);
        Directory.CreateDirectory(Path.Combine(dir, RunPaths.PlotsDir));
        File.WriteAllText(Path.Combine(dir, ".metrics.json.123.tmp"), "half");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "the researcher's own file");
        using (RunClaim.Take(dir, RunStart.Replace, RunIdentity.ScenarioNode(scenario), Inputs)) { }
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "notes.txt" }));
    }

    [Test]
    public void Resume_continues_the_same_experiment_with_the_same_inputs()
    {
        var dir = StoppedRun(scenario, Inputs);
        Assert.DoesNotThrow(() => RunClaim.Take(dir, RunStart.Resume, RunIdentity.ScenarioNode(scenario), Inputs).Dispose());
    }

    [Test]
    public void Resume_with_an_edited_scenario_is_refused_naming_what_changed()
    {
        var dir = StoppedRun(scenario, Inputs);
        var edited = scenario with { Seed = 99, Training = scenario.Training with { Optimizer = scenario.Training.Optimizer with { Lr = 2e-3 } } };
        var message = Refusal(() => RunClaim.Take(dir, RunStart.Resume, RunIdentity.ScenarioNode(edited), Inputs));
        Assert.That(message, Does.Contain("another experiment").And.Contain("seed: ").And.Contain("training.optimizer.lr: 0.001 → 0.002"));
    }

    [Test]
    public void Resume_with_a_changed_input_file_is_refused_naming_the_input()
    {
        var dir = StoppedRun(scenario, Inputs);
        IReadOnlyList<ManifestInput> changed = [Inputs[0], Inputs[1] with { Fingerprint = "cccc" }];
        Assert.That(Refusal(() => RunClaim.Take(dir, RunStart.Resume, RunIdentity.ScenarioNode(scenario), changed)),
            Does.Contain("inputs changed").And.Contain("corpus c.npy"));
    }

    [Test]
    public void Resume_without_a_checkpoint_or_of_a_complete_run_is_refused()
    {
        Assert.That(Refusal(() => RunClaim.Take(Path.Combine(folder.Path, "none"), RunStart.Resume, RunIdentity.ScenarioNode(scenario), Inputs)),
            Does.Contain("nothing to resume"));
        var complete = Path.Combine(folder.Path, "complete");
        SyntheticRun.Write(complete, new SyntheticRunSpec { Steps = 50, Groups = [new("once", 4, [5])], Of = scenario });
        Assert.That(Refusal(() => RunClaim.Take(complete, RunStart.Resume, RunIdentity.ScenarioNode(scenario), Inputs)),
            Does.Contain("the run is complete"));
    }

    [Test]
    public void An_out_that_is_a_file_is_a_clear_refusal()
    {
        var file = folder.Write("out", "x");
        Assert.That(Refusal(() => RunClaim.Take(file, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs)), Does.Contain("is a file"));
    }

    [Test]
    public void A_second_claim_while_the_first_is_held_is_refused()
    {
        var dir = Path.Combine(folder.Path, "busy");
        using var first = RunClaim.Take(dir, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs);
        Assert.That(Refusal(() => RunClaim.Take(dir, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs)),
            Does.Contain("another harness process").And.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void The_lock_of_a_process_that_no_longer_runs_is_taken_over()
    {
        var dir = Directory.CreateDirectory(Path.Combine(folder.Path, "stale")).FullName;
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            gone.WaitForExit();
            File.WriteAllText(Path.Combine(dir, RunLock.FileName),
                JsonSerializer.Serialize(new JsonObject { ["host"] = Environment.MachineName, ["pid"] = gone.Id, ["started_ticks"] = 0 }));
        }
        Assert.DoesNotThrow(() => RunClaim.Take(dir, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs).Dispose());
    }

    [Test]
    public void A_lock_held_on_another_host_is_never_taken_over()
    {
        var dir = Directory.CreateDirectory(Path.Combine(folder.Path, "remote")).FullName;
        File.WriteAllText(Path.Combine(dir, RunLock.FileName),
            JsonSerializer.Serialize(new JsonObject { ["host"] = "node-17", ["pid"] = 4242, ["started_ticks"] = 0 }));
        Assert.That(Refusal(() => RunClaim.Take(dir, RunStart.Fresh, RunIdentity.ScenarioNode(scenario), Inputs)),
            Does.Contain("host node-17").And.Contain(RunLock.FileName));
    }
}

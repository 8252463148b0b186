using System.Text.RegularExpressions;
using Harness.Runs;
using Harness.Tests.Support;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness pretrain recipe.yaml --out DIR</c> as a process: one checkpoint folder per stage, which a scenario names by
/// path; a build stopped (SIGTERM) or killed (SIGKILL) resumes to byte-identical stages; a folder holding a build is
/// not overwritten by accident.
/// </summary>
[Category("Training")]
public class PretrainRecipeTests
{
    /// <summary>A small recipe: about 30 ms an update, a resume checkpoint every 5.</summary>
    internal const string Recipe = """
        name: own-recipe
        seed: 5
        runtime: { threads: 1, checkpoint_every: 5 }
        model: { checkpoint: scratch, architecture: { d_model: 64, layers: 2, heads: 2 } }
        data: { sequence_length: 64, batch_size: 4 }
        pretrain:
          steps: 30
          save_at: { a: 10, b: 30 }
          optimizer: { lr: 3.0e-3 }
          schedule: { name: linear, warmup_steps: 5, final_lr_fraction: 0.3 }
        """;

    private static readonly string[] Stages = ["a", "b"];
    private static readonly string[] StateFiles = ["model.safetensors", CheckpointMetadata.OptimizerFile];

    private TempFolder folder = null!;
    private string recipe = null!, whole = null!;

    /// <summary>One uninterrupted build, the reference every other build is compared with.</summary>
    [OneTimeSetUp]
    public void BuildOnce()
    {
        folder = new TempFolder();
        recipe = folder.Write("rec.yaml", Recipe);
        whole = folder.File("whole");
        var (code, stdout, stderr) = HarnessProcess.Run("pretrain", recipe, "--out", whole);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
    }

    [OneTimeTearDown] public void TearDown() => folder.Dispose();

    [Test]
    public void Each_stage_is_a_checkpoint_folder_that_a_scenario_continues_by_relative_path()
    {
        foreach (var (stage, step) in new[] { ("a", 10), ("b", 30) })
        {
            foreach (var file in new[] { "config.json", "model.safetensors", CheckpointMetadata.OptimizerFile, CheckpointMetadata.FileName })
                Assert.That(File.Exists(Path.Combine(whole, stage, file)), $"{stage}/{file}");
            var metadata = CheckpointMetadata.Read(Path.Combine(whole, stage))!;
            Assert.That((metadata.Stage, metadata.Step, metadata.Recipe), Is.EqualTo((stage, step, "own-recipe")));
        }
        Assert.That(File.ReadLines(Path.Combine(whole, "training.csv")).Count(l => l.StartsWith("pretrain,")), Is.EqualTo(30));
        var record = RecipeRecord.Read(Path.Combine(whole, RecipeFolder.RecordFileName))!;
        Assert.That((record.Status, record.Step, record.ScenarioHash), Is.EqualTo(("complete", 30, RunIdentity.Hash(record.ResolvedScenario!))));
        Assert.That(Directory.Exists(Path.Combine(whole, "checkpoint")), Is.False, "a finished build keeps no resume state");

        var scenario = folder.Write("continue.yaml", """
            name: continue-own-stage
            seed: 3
            runtime: { threads: 1 }
            model: { checkpoint: whole/b }
            data: { sequence_length: 128, batch_size: 4 }
            knowledge: { items: 3 }
            training: { steps: 8, optimizer: { state: resume }, schedule: { name: resume } }
            injection:
              groups:
                - { name: once, items: 0..1, at: [2] }
                - { name: ctl, items: [2], control: true }
            probes: { depths: [memorization] }
            analysis: { lam_window: 2 }
            """);
        var run = folder.File("run");
        var (code, stdout, stderr) = HarnessProcess.Run("run", scenario, "--out", run);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        var manifest = RunManifestFile.Read(Path.Combine(run, "manifest.json"));
        Assert.That(manifest.Status, Is.EqualTo("complete"));
        Assert.That(manifest.Inputs!.Single(i => i.Role == "checkpoint").Spec, Is.EqualTo(Path.Combine(whole, "b")));
        // schedule: resume continues b's own schedule past its end: the final rate, 0.3 × 3e-3.
        var firstLr = double.Parse(File.ReadLines(Path.Combine(run, "training.csv")).Skip(1).First().Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(firstLr, Is.EqualTo(9e-4).Within(1e-12));
    }

    [Test]
    public void A_build_stopped_by_SIGTERM_after_its_first_stage_resumes_to_byte_identical_stages()
    {
        var stopped = folder.File("stopped");
        var (code, output) = Interrupt(stopped, () => File.Exists(Path.Combine(stopped, "a", CheckpointMetadata.FileName)), RunningHarness.SIGTERM);
        Assert.That(code, Is.EqualTo(3), output);
        Assert.That(output, Does.Contain("interrupted at pretraining update").And.Contain($"--out {stopped} --resume"));
        Assert.That(RecipeRecord.Read(Path.Combine(stopped, RecipeFolder.RecordFileName))!.Status, Is.EqualTo("stopped"));
        var stageA = File.ReadAllBytes(Path.Combine(stopped, "a", "model.safetensors"));
        Assert.That(Directory.Exists(Path.Combine(stopped, "b")), Is.False, "stopped before its second stage");

        // A stopped build is neither overwritten nor continued by another recipe.
        var fresh = Harness("pretrain", recipe, "--out", stopped);
        Assert.That(fresh.Code, Is.EqualTo(2), fresh.Output);
        Assert.That(fresh.Output, Does.Contain("holds a stopped pretraining build of own-recipe and its resumable checkpoint; continue it with --resume"));
        var changed = folder.Write("changed.yaml", Recipe.Replace("seed: 5", "seed: 6"));
        var other = Harness("pretrain", changed, "--out", stopped, "--resume");
        Assert.That(other.Code, Is.EqualTo(2), other.Output);
        Assert.That(other.Output, Does.Contain("another experiment than this scenario describes (seed: 5 → 6)"));

        var resumed = Harness("pretrain", recipe, "--out", stopped, "--resume");
        Assert.That(resumed.Code, Is.EqualTo(0), resumed.Output);
        Assert.That(File.ReadAllBytes(Path.Combine(stopped, "a", "model.safetensors")), Is.EqualTo(stageA), "a saved stage stays");
        AssertSameBuild(stopped);
    }

    [Test]
    public void A_build_killed_with_SIGKILL_resumes_from_its_last_checkpoint_to_byte_identical_stages()
    {
        var killed = folder.File("killed");
        var state = Path.Combine(killed, "checkpoint", "state.json");
        KilledThenResumed(recipe, killed, () => File.Exists(state) && File.ReadAllText(state).Contains("\"step\": 5"), checkpointLeft: true);
    }

    /// <summary>Without checkpoint_every a killed build has no resume state: --resume starts it over (runtime is not part of the recipe's identity).</summary>
    [Test]
    public void A_build_killed_before_its_first_checkpoint_resumes_from_the_start()
    {
        var unsaved = folder.Write("unsaved.yaml", Recipe.Replace("checkpoint_every: 5", "checkpoint_every: 0"));
        var killed = folder.File("killed-early");
        KilledThenResumed(unsaved, killed, () => File.Exists(Path.Combine(killed, "a", CheckpointMetadata.FileName)), checkpointLeft: false);
    }

    /// <summary>Kills a build of <paramref name="recipeFile"/> once <paramref name="ready"/>, resumes it, and compares it with the uninterrupted one.</summary>
    private void KilledThenResumed(string recipeFile, string dir, Func<bool> ready, bool checkpointLeft)
    {
        var (code, output) = Interrupt(dir, ready, RunningHarness.SIGKILL, recipeFile);
        Assert.That(code, Is.EqualTo(128 + RunningHarness.SIGKILL), output);
        Assert.That(Directory.Exists(Path.Combine(dir, "checkpoint")), Is.EqualTo(checkpointLeft));
        var resumed = Harness("pretrain", recipeFile, "--out", dir, "--resume");
        Assert.That(resumed.Code, Is.EqualTo(0), resumed.Output);
        AssertSameBuild(dir);
    }

    [Test]
    public void A_folder_holding_a_complete_build_is_rebuilt_only_with_force()
    {
        var again = folder.File("again");
        foreach (var file in Directory.GetFiles(whole, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(again, Path.GetRelativePath(whole, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var plain = Harness("pretrain", recipe, "--out", again);
        Assert.That(plain.Code, Is.EqualTo(2), plain.Output);
        Assert.That(plain.Output, Does.Contain("holds a complete pretraining build of own-recipe; replace it (removing everything it wrote) with --force"));
        var resume = Harness("pretrain", recipe, "--out", again, "--resume");
        Assert.That(resume.Code, Is.EqualTo(2), resume.Output);
        Assert.That(resume.Output, Does.Contain("the pretraining build is complete; nothing to resume"));

        File.WriteAllText(Path.Combine(again, "a", "model.safetensors"), "clobbered");
        var forced = Harness("pretrain", recipe, "--out", again, "--force");
        Assert.That(forced.Code, Is.EqualTo(0), forced.Output);
        AssertSameBuild(again); // and so a second build of the recipe is byte-identical to the first
    }

    /// <summary>The stages' weights and optimizer state are byte-identical to the uninterrupted build's, and so is the log's loss and rate.</summary>
    private void AssertSameBuild(string dir)
    {
        foreach (var stage in Stages)
            foreach (var file in StateFiles)
                Assert.That(File.ReadAllBytes(Path.Combine(dir, stage, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, stage, file))), $"{stage}/{file}");
        Assert.That(LossAndRate(dir), Is.EqualTo(LossAndRate(whole)));
        Assert.That(RecipeRecord.Read(Path.Combine(dir, RecipeFolder.RecordFileName))!.Status, Is.EqualTo("complete"));
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a", "b", "training.csv", "recipe.json" }),
            "no resume state, temporaries or lock left");
    }

    private static string[] LossAndRate(string dir) =>
        File.ReadLines(Path.Combine(dir, "training.csv")).Select(l => string.Join(',', l.Split(',').Take(4))).ToArray();

    private (int Code, string Output) Harness(params string[] args)
    {
        var (code, output) = HarnessProcess.RunJoined(args);
        return (code, Regex.Replace(output, @"\s+", " ")); // Spectre wraps long messages
    }

    /// <summary>
    /// Starts a build into <paramref name="dir"/> and, once <paramref name="ready"/>, pauses it (SIGSTOP), sends
    /// <paramref name="signal"/> and lets it go on, so that the signal lands mid-build however fast the machine is.
    /// </summary>
    private (int Code, string Output) Interrupt(string dir, Func<bool> ready, int signal, string? recipeFile = null)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("sends Linux signals");
        using var harness = RunningHarness.Start("pretrain", recipeFile ?? recipe, "--out", dir);
        harness.WaitUntil(() =>
        {
            try { return ready(); }
            catch (IOException) { return false; } // a checkpoint folder renamed while it was read
        }, "the point to interrupt the build at");
        harness.Pause();
        harness.Signal(signal);
        harness.Continue();
        var (code, output) = harness.Exit();
        return (code, Regex.Replace(output, @"\s+", " "));
    }
}

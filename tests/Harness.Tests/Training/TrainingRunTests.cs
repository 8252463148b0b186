using Harness.Data.Knowledge;
using Harness.Runs;
using Harness.Training;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Training;

[Category("Training")]
public class TrainingRunTests
{
    [Test]
    public void A_short_pretraining_lowers_the_loss()
    {
        var s = TinyRun.Scenario(steps: 1, pretrain: 40);
        using var folder = new TempFolder();
        var dir = folder.Path;
        TrainingRun.Execute(TinyRun.Inputs(s), dir);
        var losses = File.ReadLines(new RunPaths(dir).TrainingLog).Skip(1).Where(l => l.StartsWith("pretrain"))
            .Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(losses, Has.Length.EqualTo(40));
        Assert.That(losses.TakeLast(5).Average(), Is.LessThan(losses.Take(5).Average() - 1.0),
            $"loss went from {losses.Take(5).Average():F2} to {losses.TakeLast(5).Average():F2}");
    }

    [Test]
    public void Memorization_probes_rise_right_after_their_injection_and_controls_do_not()
    {
        var s = TinyRun.Scenario(steps: 8, pretrain: 20, lr: 1e-2);
        using var folder = new TempFolder();
        var dir = folder.Path;
        var manifest = TrainingRun.Execute(TinyRun.Inputs(s), dir);
        var rows = TrajectoryCsv.Read(new RunPaths(dir).Trajectory);
        // Items of "dup" are first injected by update 2, which turns θ_2 into θ_3.
        double Gain(string group) => rows.Where(r => r.Group == group && r.Depth == Depth.Memorization && r.Step == 3).Average(r => r.LogProb)
                                     - rows.Where(r => r.Group == group && r.Depth == Depth.Memorization && r.Step == 2).Average(r => r.LogProb);
        Assert.That(manifest.Injections.Select(i => i.Step).Distinct(), Is.EqualTo(new[] { 2, 6 }));
        // Judged against the never-injected controls, as the analysis does: the background update moves every probe.
        Assert.That(Gain("dup"), Is.GreaterThan(0), "injected memorization probes must gain log probability in one update");
        Assert.That(Gain("dup"), Is.GreaterThan(Gain("ctl") + 0.2),
            $"the gain ({Gain("dup"):F3}) must exceed the never-injected controls' change ({Gain("ctl"):F3}) by 0.2 nats");
    }

    [Test]
    public void Same_seed_and_threads_give_a_bitwise_identical_trajectory()
    {
        var s = TinyRun.Scenario(steps: 6);
        using TempFolder folderA = new(), folderB = new();
        var (a, b) = (folderA.Path, folderB.Path);
        TrainingRun.Execute(TinyRun.Inputs(s), a);
        TrainingRun.Execute(TinyRun.Inputs(s), b);
        Assert.That(File.ReadAllBytes(new RunPaths(b).Trajectory), Is.EqualTo(File.ReadAllBytes(new RunPaths(a).Trajectory)));
        // training.csv's timing columns (train_ms, scoring_ms, io_ms) are wall time; every other byte is identical.
        static string[] LossColumns(string dir) =>
            File.ReadLines(new RunPaths(dir).TrainingLog).Select(l => string.Join(',', l.Split(',').Take(4))).ToArray();
        Assert.That(LossColumns(b), Is.EqualTo(LossColumns(a)));
    }

    [Test]
    public void An_interrupted_run_resumes_to_the_identical_trajectory()
    {
        var s = TinyRun.Scenario(steps: 10, checkpointEvery: 3);
        using var wholeFolder = new TempFolder();
        var whole = wholeFolder.Path;
        TrainingRun.Execute(TinyRun.Inputs(s), whole);

        using var brokenFolder = new TempFolder();
        var broken = brokenFolder.Path;
        using var cts = new CancellationTokenSource();
        var stopAt = new SynchronousProgress(p => { if (p.Phase == "train" && p.Step == 5) cts.Cancel(); });
        var stop = Assert.Throws<RunStoppedException>(() => TrainingRun.Execute(TinyRun.Inputs(s), broken, stopAt, cts.Token));
        Assert.That(stop!.Message, Does.Contain("interrupted at update 5"));
        Assert.That(RunManifestFile.Read(new RunPaths(broken).Manifest).Status, Is.EqualTo("stopped"));

        TrainingRun.Execute(TinyRun.Inputs(s), broken, start: RunStart.Resume);
        Assert.That(File.ReadAllText(new RunPaths(broken).Trajectory), Is.EqualTo(File.ReadAllText(new RunPaths(whole).Trajectory)));
        Assert.That(Directory.Exists(new RunPaths(broken).Checkpoint), Is.False, "a finished run needs no resume state");
    }

    [Test]
    public void A_diverging_loss_stops_with_a_message_and_a_resumable_directory()
    {
        var s = TinyRun.Scenario(steps: 6, lr: 1e30);
        using var folder = new TempFolder();
        var dir = folder.Path;
        var stop = Assert.Throws<RunStoppedException>(() => TrainingRun.Execute(TinyRun.Inputs(s), dir));
        Assert.That(stop!.Message, Does.Contain("loss became").And.Contain("--resume"));
        var run = new RunPaths(dir);
        Assert.That(RunManifestFile.Read(run.Manifest).Status, Is.EqualTo("stopped"));
        Assert.That(RunCheckpoint.Find(run.Checkpoint), Is.Not.Null);
        Assert.That(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void Gradient_accumulation_gives_the_same_update_as_one_large_batch()
    {
        var one = TinyRun.Scenario(steps: 5);
        var two = one with { Training = one.Training with { GradAccumulation = 2 } };
        using TempFolder folderA = new(), folderB = new();
        var (a, b) = (folderA.Path, folderB.Path);
        TrainingRun.Execute(TinyRun.Inputs(one), a);
        TrainingRun.Execute(TinyRun.Inputs(two), b);
        var ra = TrajectoryCsv.Read(new RunPaths(a).Trajectory);
        var rb = TrajectoryCsv.Read(new RunPaths(b).Trajectory);
        Assert.That(rb.Select(r => r.LogProb), Is.EqualTo(ra.Select(r => r.LogProb)).Within(1e-3),
            "two half batches accumulate to the gradient of the whole batch (up to float32 summation order)");
    }

}

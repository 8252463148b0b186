using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Runs;
using Harness.Training;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Training;

/// <summary>A run's wall time split into training, probe scoring and IO, per update in training.csv and in total in the manifest.</summary>
[Category("Training")]
public class TimeSplitTests
{
    [Test]
    public void Training_csv_and_the_manifest_split_the_wall_time()
    {
        var s = TinyRun.Scenario(steps: 6, pretrain: 3, checkpointEvery: 2);
        using var folder = new TempFolder();
        var dir = folder.Path;
        var manifest = TrainingRun.Execute(TinyRun.Inputs(s), dir);

        var lines = File.ReadAllLines(new RunPaths(dir).TrainingLog);
        Assert.That(lines[0], Is.EqualTo("phase,step,loss,lr,train_ms,scoring_ms,io_ms"), "the loss and learning-rate columns come first");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        double Ms(string[] r, int column) => double.Parse(r[column], CultureInfo.InvariantCulture);
        Assert.That(rows, Has.Length.EqualTo(3 + 6));
        Assert.That(rows.SelectMany(r => new[] { Ms(r, 4), Ms(r, 5), Ms(r, 6) }), Has.All.GreaterThanOrEqualTo(0));
        Assert.That(rows.Select(r => Ms(r, 4)), Has.All.GreaterThan(0), "every update takes time");
        var train = rows.Where(r => r[0] == "train").ToArray();
        Assert.That(train.Select(r => Ms(r, 5)), Has.All.GreaterThan(0), "every step is evaluated here, so every update is followed by a scoring");
        Assert.That(rows.Where(r => r[0] == "pretrain").Select(r => Ms(r, 5) + Ms(r, 6)), Has.All.EqualTo(0), "pretraining neither scores nor writes");
        // Checkpoints after updates 1 and 3 (θ_2, θ_4); none after the last one, which ends the run instead.
        Assert.That(train.Select(r => Ms(r, 6) > 0), Is.EqualTo(new[] { false, true, false, true, false, false }));

        var t = manifest.Time!;
        Assert.That(new[] { t.TrainS, t.ScoringS, t.IoS, t.OtherS }, Has.All.GreaterThanOrEqualTo(0));
        Assert.That(t.TrainS + t.ScoringS + t.IoS, Is.LessThanOrEqualTo(manifest.WallSeconds + 1e-9));
        Assert.That(t.TrainS + t.ScoringS + t.IoS + t.OtherS, Is.EqualTo(manifest.WallSeconds).Within(1e-6));
        Assert.That(rows.Sum(r => Ms(r, 4)) / 1000, Is.LessThanOrEqualTo(t.TrainS + 0.001 * rows.Length), "rows' train time is part of the total");
        Assert.That(train.Sum(r => Ms(r, 5)) / 1000, Is.LessThanOrEqualTo(t.ScoringS + 0.001 * rows.Length));
        Assert.That(t.IoS, Is.GreaterThan(0));

        var written = RunManifestFile.Read(new RunPaths(dir).Manifest);
        Assert.That(written.Time, Is.EqualTo(t), "manifest.json holds the returned split");
    }

    [Test]
    public void A_resumed_run_reads_the_timed_log_and_keeps_the_loss_columns_identical()
    {
        var s = TinyRun.Scenario(steps: 6, checkpointEvery: 3);
        using var wholeFolder = new TempFolder();
        var whole = wholeFolder.Path;
        TrainingRun.Execute(TinyRun.Inputs(s), whole);

        using var brokenFolder = new TempFolder();
        var broken = brokenFolder.Path;
        using var cts = new CancellationTokenSource();
        var stopAt = new SynchronousProgress(p => { if (p.Phase == "train" && p.Step == 4) cts.Cancel(); });
        Assert.Throws<RunStoppedException>(() => TrainingRun.Execute(TinyRun.Inputs(s), broken, stopAt, cts.Token));
        TrainingRun.Execute(TinyRun.Inputs(s), broken, start: RunStart.Resume);

        static string[] LossColumns(string dir) =>
            File.ReadLines(new RunPaths(dir).TrainingLog).Select(l => string.Join(',', l.Split(',').Take(4))).ToArray();
        Assert.That(LossColumns(broken), Is.EqualTo(LossColumns(whole)));
        var log = TrainingLog.Read(new RunPaths(broken).TrainingLog, int.MaxValue);
        Assert.That(log.Rows.Select(r => r.Time.TrainMs), Has.All.GreaterThan(0), "rows from before the stop keep their times");
    }

    [Test]
    public void A_log_written_before_the_timing_columns_still_reads()
    {
        using var folder = new TempFolder();
        var path = folder.File("training.csv");
        File.WriteAllText(path, "phase,step,loss,lr\npretrain,0,5.5,0.001\ntrain,0,4.25,0.002\ntrain,1,4,0.002\n");
        var log = TrainingLog.Read(path, upToTrainStep: 1);
        Assert.That(log.Rows.Select(r => (r.Phase, r.Step, r.Loss)), Is.EqualTo(new[] { ("pretrain", 0, 5.5), ("train", 0, 4.25) }));
        Assert.That(log.Rows.Select(r => r.Time), Has.All.EqualTo(default(StepTime)));
    }

    [Test]
    public void Harness_run_prints_the_split_with_percentages()
    {
        using var folder = new TempFolder();
        var dir = folder.Path;
        var scenario = Path.Combine(dir, "split.yaml");
        File.WriteAllText(scenario, """
            name: split
            runtime: { threads: 1, precision: bf16 }
            model: { checkpoint: scratch, architecture: { d_model: 32, layers: 1, heads: 2 } }
            data: { sequence_length: 32, batch_size: 2 }
            knowledge: { items: 2 }
            training: { steps: 4 }
            injection:
              groups:
                - { name: once, items: [0], at: [1] }
                - { name: ctl, items: [1], control: true }
            probes: { depths: [memorization] }
            analysis: { lam_window: 2 }
            """);
        var (code, stdout, stderr) = HarnessProcess.Run("run", scenario, "--out", Path.Combine(dir, "run"));
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain("(bf16)"), "the summary names the precision that ran");
        var split = Regex.Match(stdout, @"time: train [\d.]+ s \((\d+)%\), scoring [\d.]+ s \((\d+)%\), io [\d.]+ s \((\d+)%\), other [\d.]+ s \((\d+)%\)");
        Assert.That(split.Success, stdout);
        int total = Enumerable.Range(1, 4).Sum(g => int.Parse(split.Groups[g].Value, CultureInfo.InvariantCulture));
        Assert.That(total, Is.InRange(98, 102), "the four parts are the whole wall time, up to rounding");
    }

}

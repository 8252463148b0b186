using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Harness.Data.Knowledge;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Executes a RunPlan: optional background pretraining (not logged), then the logged updates with knowledge placed as
/// planned and every probe scored at the plan's evaluation steps. Writes the run directory; a stop (NaN loss, full disk,
/// interruption) leaves a checkpoint that <c>resume</c> continues to the identical trajectory.
/// </summary>
public static class TrainingRun
{
    public static RunManifest Execute(RunInputs inputs, string root, IProgress<RunProgress>? progress = null,
        CancellationToken cancel = default, bool resume = false)
    {
        var s = inputs.Scenario;
        var plan = inputs.Plan;
        var dir = new RunPaths(root);
        var clock = Stopwatch.StartNew();
        var device = TorchRuntime.Configure(s.Runtime.Device, s.Runtime.Threads, s.Seed);
        var checkpoint = resume ? RunCheckpoint.Find(dir.Checkpoint) : null;
        if (resume && checkpoint == null)
            throw new InputException($"{root}: nothing to resume (no checkpoint folder); run without --resume to start over");
        Directory.CreateDirectory(root);

        using var model = inputs.CreateModel(device);
        using var background = inputs.OpenBackground();
        var composer = new BatchComposer(background, inputs.Knowledge, inputs.Tokenizer, plan.BatchSize, plan.SequenceLength, s.Injection.Placement);
        var log = checkpoint == null ? new TrainingLog() : TrainingLog.Read(dir.TrainingLog, checkpoint.Step);

        Trainer? pretrainer = checkpoint == null && s.Pretrain is { Steps: > 0 } pre
            ? Pretraining.Run(model, composer, pre, s.Training.GradAccumulation, plan.BatchSize, plan.SequenceLength, log, progress, cancel)
            : null;
        if (checkpoint == null && inputs.Origin.Metadata is { } origin && origin.Corpus == s.Data.Corpus)
            background.Position = origin.Stream; // continue the checkpoint's data stream, as the paper's runs do

        using var trainer = new Trainer(model, s.Training.Optimizer, TrainingSchedule(s, inputs.Origin), s.Training.GradAccumulation, device);
        if (s.Training.Optimizer.State == "resume")
        {
            if (pretrainer != null) CarryOptimizerState(pretrainer, trainer, root);
            else if (inputs.Origin.Folder is { } folder && File.Exists(Path.Combine(folder, CheckpointMetadata.OptimizerFile)))
                trainer.LoadState(Path.Combine(folder, CheckpointMetadata.OptimizerFile));
            else throw new InputException($"training.optimizer.state is resume, but {s.Model.Checkpoint} carries no optimizer state; use state: fresh");
        }
        pretrainer?.Dispose();

        using var scorer = new ProbeScorer(Probes(inputs), inputs.Tokenizer, plan.SequenceLength, device);
        var recorder = new TrajectoryRecorder(scorer.Keys);
        int start = 0;
        if (checkpoint != null)
        {
            checkpoint.Restore(dir.Checkpoint, model, trainer);
            background.Position = checkpoint.Stream;
            recorder.Restore(TrajectoryCsv.Read(dir.Trajectory), checkpoint.Step);
            start = checkpoint.Step;
        }

        var evalSteps = plan.EvalSteps.ToHashSet();
        var byStep = plan.Injections.ToLookup(i => i.Step);
        if (start == 0)
        {
            if (evalSteps.Contains(0)) recorder.Record(0, scorer.Score(model));
            Persist(dir, inputs, recorder, log, clock, "running", null);
            if (s.Runtime.CheckpointEvery > 0) SaveCheckpoint(dir, 0, model, trainer, composer);
        }

        for (int step = start; step < plan.Steps; step++)
        {
            if (cancel.IsCancellationRequested)
                Stop(dir, inputs, recorder, log, clock, step, model, trainer, composer,
                    $"interrupted at update {step} of {plan.Steps}; continue with: harness run --resume");
            var position = background.Position;
            var ids = composer.Compose(byStep[step]);
            double loss, lr;
            try
            {
                (loss, lr) = trainer.Step(ids, plan.BatchSize, plan.SequenceLength, step);
            }
            catch (NonFiniteLossException e)
            {
                background.Position = position; // the checkpoint resumes at this update, before its batch
                Stop(dir, inputs, recorder, log, clock, step, model, trainer, composer,
                    $"{e.Message}. The weights before this update are saved; lower training.optimizer.lr (or raise grad_clip) and continue with: harness run --resume");
                throw; // unreachable: Stop throws
            }
            log.Add("train", step, loss, lr);
            if (evalSteps.Contains(step + 1)) recorder.Record(step + 1, scorer.Score(model));
            progress?.Report(new RunProgress("train", step + 1, plan.Steps, loss));
            int every = s.Runtime.CheckpointEvery;
            if (every > 0 && (step + 1) % every == 0 && step + 1 < plan.Steps)
            {
                Persist(dir, inputs, recorder, log, clock, "running", null);
                SaveCheckpoint(dir, step + 1, model, trainer, composer);
            }
        }

        var manifest = Persist(dir, inputs, recorder, log, clock, "complete", null);
        if (Directory.Exists(dir.Checkpoint)) Directory.Delete(dir.Checkpoint, true);
        return manifest;
    }

    /// <summary>
    /// <c>resume</c> continues the checkpoint's own schedule at its step; <c>resume-constant</c> holds the rate that
    /// schedule has there (the paper's batch-size runs); otherwise the scenario's own schedule.
    /// </summary>
    public static LearningRateSchedule TrainingSchedule(Scenario s, ModelOrigin origin)
    {
        var name = s.Training.Schedule.Name;
        if (name is not ("resume" or "resume-constant"))
            return LearningRateSchedule.From(s.Training.Optimizer, s.Training.Schedule, s.Training.Steps);
        var resumed = origin.Metadata is { } m ? m.Schedule with { Offset = m.Step }
            : s.Pretrain is { Steps: > 0 } pre ? Pretraining.Schedule(pre) with { Offset = pre.Steps }
            : throw new InputException($"training.schedule is {name}, but {s.Model.Checkpoint} carries no schedule; name one (constant, linear, cosine)");
        return name == "resume" ? resumed : new LearningRateSchedule(resumed.At(0), "constant", 0, 1, 1);
    }

    private static void CarryOptimizerState(Trainer from, Trainer to, string root)
    {
        var tmp = Path.Combine(root, $".optimizer-{Environment.ProcessId}.bin");
        from.SaveState(tmp);
        to.LoadState(tmp);
        File.Delete(tmp);
    }

    private static void SaveCheckpoint(RunPaths dir, int step, CausalLM model, Trainer trainer, BatchComposer composer) =>
        Io(dir, () => RunCheckpoint.Save(dir.Checkpoint, step, model, trainer, composer.Background.Position));

    private static void Stop(RunPaths dir, RunInputs inputs, TrajectoryRecorder recorder, TrainingLog log, Stopwatch clock,
        int step, CausalLM model, Trainer trainer, BatchComposer composer, string message)
    {
        Persist(dir, inputs, recorder, log, clock, "stopped", message);
        SaveCheckpoint(dir, step, model, trainer, composer);
        throw new RunStoppedException($"{message} (run directory: {dir.Root})");
    }

    /// <summary>Trajectory, training log and manifest, each written atomically; a full disk becomes a clear stop.</summary>
    private static RunManifest Persist(RunPaths dir, RunInputs inputs, TrajectoryRecorder recorder, TrainingLog log,
        Stopwatch clock, string status, string? message)
    {
        var manifest = BuildManifest(inputs, clock.Elapsed.TotalSeconds, status, message);
        Io(dir, () =>
        {
            TrajectoryCsv.Write(dir.Trajectory, recorder.Rows());
            log.Write(dir.TrainingLog);
            RunManifestFile.Write(dir.Manifest, manifest);
        });
        return manifest;
    }

    private static void Io(RunPaths dir, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new RunStoppedException($"writing to {dir.Root} failed: {e.Message}. Files already there are whole (written atomically); free space and continue with: harness run --resume", e);
        }
    }

    private static IReadOnlyList<(ProbeKey, ProbeText)> Probes(RunInputs inputs)
    {
        var depths = inputs.Scenario.Probes.Depths.Select(d => DepthNames.TryParse(d, out var x) ? x
            : throw new InputException($"probes.depths: unknown depth '{d}'; use memorization, semantic or composition")).ToArray();
        var probes = new List<(ProbeKey, ProbeText)>();
        foreach (var item in inputs.Plan.Items)
            foreach (var depth in depths)
            {
                var texts = inputs.Knowledge.Items[item.ItemIndex].Probes(depth);
                for (int p = 0; p < texts.Count; p++) probes.Add((new ProbeKey(item.Item, item.Group, depth, p), texts[p]));
            }
        return probes;
    }

    public static RunManifest BuildManifest(RunInputs inputs, double wallSeconds, string status, string? message)
    {
        var s = inputs.Scenario;
        var plan = inputs.Plan;
        var asm = typeof(TrainingRun).Assembly;
        var informational = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+');
        return new RunManifest
        {
            Scenario = s.Name,
            BatchSize = plan.BatchSize,
            SequenceLength = plan.SequenceLength,
            TokensPerStep = (long)plan.BatchSize * plan.SequenceLength,
            Steps = plan.Steps,
            Analysis = new ManifestAnalysis
            {
                LamWindow = s.Analysis.LamWindow,
                IqrMultiplier = s.Analysis.IqrMultiplier,
                FitFrom = s.Analysis.FitFrom,
                FitTo = s.Analysis.FitTo,
                FitBinsPerDecade = s.Analysis.FitBinsPerDecade,
            },
            Injections = plan.Injections.Select(i => new ManifestInjection(i.Step, i.Item, i.Group, i.Variant)).ToArray(),
            Items = plan.Items.Select(i => new ManifestItem(i.Item, i.Group, i.Control)).ToArray(),
            Depths = s.Probes.Depths,
            Status = status,
            StatusMessage = message,
            Seed = s.Seed,
            Threads = s.Runtime.Threads,
            Device = s.Runtime.Device,
            HarnessVersion = plus < 0 ? informational : informational[..plus],
            GitCommit = plus < 0 ? "" : informational[(plus + 1)..],
            TorchSharpVersion = TorchRuntime.TorchSharpVersion,
            LibTorchVersion = TorchRuntime.LibTorchVersion,
            WallSeconds = Math.Round(wallSeconds, 3),
            Cell = s.Cell,
            ResolvedScenario = JsonSerializer.SerializeToNode(s, RunManifest.Json),
        };
    }
}

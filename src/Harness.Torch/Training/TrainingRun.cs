using System.Reflection;
using System.Text.Json;
using Harness.Data.Knowledge;
using Harness.Data.Olmo;
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
    /// <param name="claim">The caller's claim on <paramref name="root"/> when it keeps the directory locked beyond the run
    /// (to analyse it); otherwise the run takes one for <paramref name="start"/> and releases it at the end.</param>
    public static RunManifest Execute(RunInputs inputs, string root, IProgress<RunProgress>? progress = null,
        CancellationToken cancel = default, RunStart start = RunStart.Fresh, RunClaim? claim = null)
    {
        using var own = claim is null ? Claim(inputs, root, start) : null;
        var s = inputs.Scenario;
        var plan = inputs.Plan;
        var dir = new RunPaths(root);
        var clock = new RunClock();
        var checkpoint = start == RunStart.Resume ? RunCheckpoint.ResumePoint(dir.Checkpoint) : null;

        // Seeding, then weight init, then the data stream: this order is part of the bitwise-identical trajectory.
        var device = TorchRuntime.Configure(s.Runtime.Device, s.Runtime.Threads, s.Seed);
        using var model = inputs.CreateModel(device);
        var computeType = TorchRuntime.ComputeType(s.Runtime.Precision, device);
        model.ComputeType = computeType;
        using var background = inputs.OpenBackground();
        var composer = new BatchComposer(background, inputs.Knowledge, inputs.Tokenizer, plan.BatchSize, plan.SequenceLength, s.Injection.Placement);
        TrainingLog log = new();
        if (checkpoint != null) clock.Io(() => log = TrainingLog.Read(dir.TrainingLog, checkpoint.Step));

        using var trainer = PrepareTrainer(inputs, model, composer, log, checkpoint, clock, device, root, progress, cancel);
        using var scorer = new ProbeScorer(Probes(inputs), inputs.Tokenizer, plan.SequenceLength, device);
        var recorder = new TrajectoryRecorder(scorer.Keys);
        var output = new RunOutput(dir, inputs, recorder, log, clock, TorchRuntime.PrecisionName(computeType));
        var loop = new UpdateLoop(inputs, model, trainer, composer, scorer, recorder, output, log, clock, progress, cancel);

        int first = checkpoint == null ? loop.Begin() : loop.Restore(checkpoint);
        loop.Train(first);
        return Finish(output, dir);
    }

    /// <summary>Locks <paramref name="root"/> and decides what may happen to a run already there (see <see cref="RunClaim"/>).</summary>
    public static RunClaim Claim(RunInputs inputs, string root, RunStart start) =>
        RunClaim.Take(root, start, RunIdentity.ScenarioNode(inputs.Scenario), inputs.Fingerprints);

    /// <summary>
    /// The trainer of the logged updates. A fresh run first pretrains (if the scenario asks), continues the checkpoint's
    /// data stream, and takes its optimizer state when <c>optimizer.state</c> is resume.
    /// </summary>
    private static Trainer PrepareTrainer(RunInputs inputs, CausalLM model, BatchComposer composer, TrainingLog log, RunCheckpoint? checkpoint,
        RunClock clock, TorchSharp.torch.Device device, string root, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        var s = inputs.Scenario;
        var plan = inputs.Plan;
        Trainer? pretrainer = null;
        if (checkpoint == null && s.Pretrain is { Steps: > 0 } pre)
            clock.Train(() => pretrainer = Pretraining.Run(model, composer, pre, s.Training.GradAccumulation, plan.BatchSize, plan.SequenceLength, log, progress, cancel));
        if (checkpoint == null && inputs.Origin.Metadata is { } origin && origin.Corpus == s.Data.Corpus)
            composer.Background.Position = origin.Stream; // continue the checkpoint's data stream, as the paper's runs do

        var trainer = new Trainer(model, s.Training.Optimizer, TrainingSchedule(s, inputs.Origin), s.Training.GradAccumulation, device);
        try
        {
            if (s.Training.Optimizer.State == "resume")
            {
                if (pretrainer != null) CarryOptimizerState(pretrainer, trainer, root);
                else if (inputs.Origin.Olmo is { } olmo) clock.Io(() => OlmoOptimizerState.Load(trainer, olmo, model.Config));
                else if (inputs.Origin.Folder is { } folder && File.Exists(Path.Combine(folder, CheckpointMetadata.OptimizerFile)))
                    trainer.LoadState(Path.Combine(folder, CheckpointMetadata.OptimizerFile));
                else throw new InputException($"training.optimizer.state is resume, but {s.Model.Checkpoint} carries no optimizer state (a Hugging Face " +
                    "revision holds weights only); supply the unsharded OLMo training checkpoint of that step (model.pt, optim.pt, train.pt, " +
                    "config.yaml) or a harness checkpoint with optimizer.bin, or use state: fresh");
            }
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        finally
        {
            pretrainer?.Dispose();
        }
    }

    private static RunManifest Finish(RunOutput output, RunPaths dir)
    {
        RunManifest manifest = null!;
        output.Clock.Io(() => manifest = output.Persist("complete", null));
        RunCheckpoint.Remove(dir.Checkpoint);
        return manifest;
    }

    /// <summary>The logged updates: place the planned knowledge, step, score at the plan's evaluation steps, checkpoint.</summary>
    private sealed class UpdateLoop(RunInputs inputs, CausalLM model, Trainer trainer, BatchComposer composer, ProbeScorer scorer,
        TrajectoryRecorder recorder, RunOutput output, TrainingLog log, RunClock clock, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        private readonly RunPlan plan = inputs.Plan;
        private readonly HashSet<int> evalSteps = inputs.Plan.EvalSteps.ToHashSet();
        private readonly ILookup<int, PlannedInjection> byStep = inputs.Plan.Injections.ToLookup(i => i.Step);
        private readonly int checkpointEvery = inputs.Scenario.Runtime.CheckpointEvery;

        /// <summary>A fresh run: writes its manifest, scores step 0, writes the trajectory so far and the step-0 checkpoint.</summary>
        public int Begin()
        {
            // The manifest first: from its first write on, the directory says which run it holds, so a run stopped before
            // its step-0 checkpoint (a full disk, a kill) resumes from the start rather than leaving files no command takes.
            clock.Io(output.Announce);
            if (evalSteps.Contains(0)) clock.Scoring(() => recorder.Record(0, scorer.Score(model)));
            clock.Io(() =>
            {
                output.Persist("running", null);
                if (checkpointEvery > 0) output.SaveCheckpoint(0, model, trainer, composer);
            });
            return 0;
        }

        /// <summary>A resumed run: weights, optimizer, trajectory so far and data position from the checkpoint.</summary>
        public int Restore(RunCheckpoint checkpoint)
        {
            var dir = output.Dir;
            clock.Io(() =>
            {
                checkpoint.Restore(dir.Checkpoint, model, trainer);
                recorder.Restore(TrajectoryCsv.Read(dir.Trajectory), checkpoint.Step);
            });
            composer.Background.Position = checkpoint.Stream;
            return checkpoint.Step;
        }

        public void Train(int start)
        {
            for (int step = start; step < plan.Steps; step++)
            {
                if (cancel.IsCancellationRequested)
                    output.Stop(step, model, trainer, composer, $"interrupted at update {step} of {plan.Steps}; continue with: harness run --resume");
                var (loss, trainMs) = Update(step);
                double scoringMs = evalSteps.Contains(step + 1) ? clock.Scoring(() => recorder.Record(step + 1, scorer.Score(model))) : 0;
                log.Add("train", step, loss.Loss, loss.Lr, new StepTime(trainMs, scoringMs, 0));
                progress?.Report(new RunProgress("train", step + 1, plan.Steps, loss.Loss));
                if (checkpointEvery > 0 && (step + 1) % checkpointEvery == 0 && step + 1 < plan.Steps)
                    SaveCheckpoint(step + 1);
            }
        }

        /// <summary>One update; a non-finite loss stops the run with the weights from before it.</summary>
        private ((double Loss, double Lr) Result, double Ms) Update(int step)
        {
            var position = composer.Background.Position;
            double loss = 0, lr = 0;
            try
            {
                double ms = clock.Train(() => (loss, lr) = trainer.Step(composer.Compose(byStep[step]), plan.BatchSize, plan.SequenceLength, step));
                return ((loss, lr), ms);
            }
            catch (NonFiniteLossException e)
            {
                composer.Background.Position = position; // the checkpoint resumes at this update, before its batch
                output.Stop(step, model, trainer, composer,
                    $"{e.Message}. The weights before this update are saved; lower training.optimizer.lr (or raise grad_clip) and continue with: harness run --resume");
                throw; // unreachable: Stop throws
            }
        }

        private void SaveCheckpoint(int saved) =>
            log.AddIo(clock.Io(() =>
            {
                output.Persist("running", null);
                output.SaveCheckpoint(saved, model, trainer, composer);
            }));
    }

    /// <summary>
    /// <c>resume</c> continues the checkpoint's own schedule at its step; <c>resume-constant</c> holds the rate that
    /// schedule has there (the paper's batch-size runs), or with <c>rate_of</c> the mean of the rates that those OLMo
    /// checkpoints' schedules have at their steps (footnote 5, Appendix F); otherwise the scenario's own schedule.
    /// </summary>
    public static LearningRateSchedule TrainingSchedule(Scenario s, ModelOrigin origin)
    {
        var name = s.Training.Schedule.Name;
        if (name is not ("resume" or "resume-constant"))
            return LearningRateSchedule.From(s.Training.Optimizer, s.Training.Schedule, s.Training.Steps);
        if (name == "resume-constant" && s.Training.Schedule.RateOf is { Count: > 0 } rateOf)
            return new LearningRateSchedule(rateOf.Average(RateAtStep), "constant", 0, 1, 1);
        var resumed = origin.Olmo is { } olmo
            ? new LearningRateSchedule(olmo.Config.LearningRate, "olmo", 0, 1, 1, checked((int)olmo.GlobalStep), olmo.Scheduler)
            : origin.Metadata is { } m ? m.Schedule with { Offset = m.Step }
            : s.Pretrain is { Steps: > 0 } pre ? Pretraining.Schedule(pre) with { Offset = pre.Steps }
            : throw new InputException($"training.schedule is {name}, but {s.Model.Checkpoint} carries no schedule (a Hugging Face revision holds " +
                "weights only); supply the unsharded OLMo training checkpoint (its train.pt and config.yaml give the step and scheduler), or name a schedule (constant, linear, cosine)");
        return name == "resume" ? resumed : new LearningRateSchedule(resumed.At(0), "constant", 0, 1, 1);
    }

    private static double RateAtStep(string checkpoint)
    {
        try
        {
            return OlmoCheckpoint.Open(checkpoint).FirstUpdateLearningRate;
        }
        catch (InputException e)
        {
            throw new InputException($"training.schedule.rate_of: {e.Message} rate_of names OLMo training checkpoints, whose config.yaml and train.pt give the scheduler and its step.", e);
        }
    }

    private static void CarryOptimizerState(Trainer from, Trainer to, string root)
    {
        var tmp = Path.Combine(root, $".optimizer.{Environment.ProcessId}.tmp"); // a temporary's name, which claims tidy
        try
        {
            from.SaveState(tmp);
            to.LoadState(tmp);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static IReadOnlyList<(ProbeKey, ProbeText)> Probes(RunInputs inputs)
    {
        var depths = inputs.Scenario.Probes.Depths.Select(DepthNames.Parse).ToArray();
        var probes = new List<(ProbeKey, ProbeText)>();
        foreach (var item in inputs.Plan.Items)
            foreach (var depth in depths)
            {
                var texts = inputs.Knowledge.Items[item.ItemIndex].Probes(depth);
                for (int p = 0; p < texts.Count; p++) probes.Add((new ProbeKey(item.Item, item.Group, depth, p), texts[p]));
            }
        return probes;
    }

    public static RunManifest BuildManifest(RunInputs inputs, double wallSeconds, string status, string? message,
        string precision = "fp32", ManifestTime? time = null)
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
            Precision = precision,
            HarnessVersion = plus < 0 ? informational : informational[..plus],
            GitCommit = plus < 0 ? "" : informational[(plus + 1)..],
            TorchSharpVersion = TorchRuntime.TorchSharpVersion,
            LibTorchVersion = TorchRuntime.LibTorchVersion,
            WallSeconds = Math.Round(wallSeconds, 3),
            Time = time,
            Cell = s.Cell,
            ResolvedScenario = RunIdentity.ScenarioNode(s),
            ScenarioHash = RunIdentity.Hash(s),
            Inputs = inputs.Fingerprints,
        };
    }

    /// <summary>What a run writes: trajectory, training log and manifest (each atomically), and its resume checkpoint.</summary>
    private sealed record RunOutput(RunPaths Dir, RunInputs Inputs, TrajectoryRecorder Recorder, TrainingLog Log, RunClock Clock, string Precision)
    {
        /// <summary>The running manifest alone: what the directory holds before anything else is written.</summary>
        public void Announce()
        {
            var manifest = Manifest("running", null);
            Write(() => RunManifestFile.Write(Dir.Manifest, manifest));
        }

        private RunManifest Manifest(string status, string? message)
        {
            var (wall, split) = Clock.Snapshot();
            return BuildManifest(Inputs, wall, status, message, Precision, split);
        }

        public RunManifest Persist(string status, string? message)
        {
            var manifest = Manifest(status, message);
            Write(() =>
            {
                TrajectoryCsv.Write(Dir.Trajectory, Recorder.Rows());
                Log.Write(Dir.TrainingLog);
                RunManifestFile.Write(Dir.Manifest, manifest);
            });
            return manifest;
        }

        public void SaveCheckpoint(int step, CausalLM model, Trainer trainer, BatchComposer composer) =>
            Write(() => RunCheckpoint.Save(Dir.Checkpoint, step, model, trainer, composer.Background.Position));

        /// <summary>Writes what the run has and a checkpoint at <paramref name="step"/>, then stops with <paramref name="message"/>.</summary>
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Stop(int step, CausalLM model, Trainer trainer, BatchComposer composer, string message)
        {
            Clock.Io(() =>
            {
                Persist("stopped", message);
                SaveCheckpoint(step, model, trainer, composer);
            });
            throw new RunStoppedException($"{message} (run directory: {Dir.Root})");
        }

        /// <summary>A full disk becomes a clear stop.</summary>
        private void Write(Action write)
        {
            try
            {
                write();
            }
            catch (IOException e)
            {
                // Without a manifest (its very first write failed) the directory holds nothing of the run to resume.
                var next = File.Exists(Dir.Manifest) ? "free space and continue with: harness run --resume" : "nothing of the run is saved; free space and run it again";
                throw new RunStoppedException($"writing to {Dir.Root} failed: {e.Message}. Files already there are whole (written atomically); {next}", e);
            }
        }
    }
}

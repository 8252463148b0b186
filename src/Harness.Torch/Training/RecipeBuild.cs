using System.Diagnostics;
using Harness.Data;
using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Pretrains a recipe from scratch into its folder (<see cref="RecipeFolder"/>: a built-in recipe's cache folder, or the
/// <c>--out</c> of <c>harness pretrain recipe.yaml</c>), saving each <c>pretrain.save_at</c> stage as a checkpoint with
/// its optimizer state, data position, schedule and what it knows of the background world. A stage is written under a
/// temporary name and renamed, so a stage folder is always whole. Like a run, a build saves its resume state
/// (<see cref="RunCheckpoint"/>) every <c>runtime.checkpoint_every</c> updates and when cancelled, and
/// <paramref name="resume"/> continues from it to the same bytes an uninterrupted build writes.
/// </summary>
public static class RecipeBuild
{
    /// <summary>Locks <paramref name="root"/> for a build of <paramref name="s"/> and decides what may happen to a build already there (see <see cref="RunClaim"/>).</summary>
    public static RunClaim Claim(Scenario s, string root, RunStart start) =>
        RunClaim.Take(new RecipeFolder(root), start, RunIdentity.ScenarioNode(s), Fingerprints(s));

    /// <param name="resume">Continue from the folder's checkpoint, or from update 0 when the build stopped before its first
    /// one (the caller's <see cref="Claim"/> has checked that the folder holds a build of this recipe).</param>
    public static void Run(Scenario s, string root, IProgress<string>? log, IProgress<RunProgress>? progress,
        CancellationToken cancel = default, bool resume = false)
    {
        var pre = s.Pretrain ?? throw new InputException($"{s.SourcePath}: a pretraining recipe needs a pretrain section");
        var folder = new RecipeFolder(root);
        var checkpoint = resume ? RunCheckpoint.ResumePoint(folder.Checkpoint) : null;
        var earlier = resume ? RecipeRecord.Read(folder.RecordFile)?.WallSeconds ?? 0 : 0;
        var clock = Stopwatch.StartNew();
        double Wall() => Math.Round(earlier + clock.Elapsed.TotalSeconds, 1);

        // Seeding, then weight init, then the data stream: this order makes the checkpoints bitwise-identical.
        var device = TorchRuntime.Configure(s.Runtime.Device, s.Runtime.Threads, s.Seed);
        var baseDir = RunInputsResolver.BaseDirectory(s);
        var tokenizer = TokenizerSource.Resolve(s.Tokenizer, baseDir);
        using var model = ModelSource.Create(s, ModelOrigin.Scratch, tokenizer, device);
        model.ComputeType = TorchRuntime.ComputeType(s.Runtime.Precision, device);
        using var background = CorpusSource.Open(s.Data.Corpus, baseDir, tokenizer);
        var composer = new BatchComposer(background, new KnowledgeSet("none", []), tokenizer, s.Data.BatchSize, s.Data.SequenceLength, "prepend");
        var trainingLog = checkpoint is null ? new TrainingLog() : TrainingLog.Read(folder.TrainingLog, checkpoint.Step, ["pretrain", "held-out"]);
        var record = new RecipeRecord
        {
            Recipe = s.Name, Status = "running", Stages = pre.SaveAt, ResolvedScenario = RunIdentity.ScenarioNode(s),
            ScenarioHash = RunIdentity.Hash(s), Inputs = Fingerprints(s),
        };
        var saves = new SavePoints(s, folder, checkpoint, model, composer, trainingLog, record, Wall);
        saves.Write("running", null, checkpoint?.Step ?? 0);
        try
        {
            using var trainer = Pretraining.Run(model, composer, pre, s.Training.GradAccumulation, s.Data.BatchSize, s.Data.SequenceLength,
                trainingLog, progress, cancel, (stage, step, t) =>
                {
                    var known = s.Data.Corpus == BuiltinNames.SyntheticWorld ? Measure(model, tokenizer, s, device) : NotMeasured;
                    var tmp = Path.Combine(root, $".{stage}.{Environment.ProcessId}.tmp"); // a temporary's name, which claims tidy
                    if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                    HfCheckpoint.Save(model, tmp);
                    t.SaveState(Path.Combine(tmp, CheckpointMetadata.OptimizerFile));
                    new CheckpointMetadata
                    {
                        Stage = stage, Step = step, Corpus = s.Data.Corpus, Stream = background.Position,
                        Schedule = Pretraining.Schedule(pre), Background = known, Recipe = s.Name, WallSeconds = Wall(),
                    }.Write(tmp);
                    var stageFolder = folder.Stage(stage);
                    if (Directory.Exists(stageFolder)) Directory.Delete(stageFolder, true);
                    Directory.Move(tmp, stageFolder);
                    log?.Report(known.FactProbes > 0
                        ? $"{stage}: step {step}, held-out loss {known.HeldOutLoss:F3}, background facts top-1 {known.FactTop1:P0}, two-hop top-1 {known.CompositionTop1:P0} ({clock.Elapsed.TotalSeconds:F0} s)"
                        : $"{stage}: step {step} ({clock.Elapsed.TotalSeconds:F0} s; background knowledge is measured on {BuiltinNames.SyntheticWorld} only)");
                }, () => HeldOutLoss(model, s, device), saves);
        }
        catch (RunStoppedException e) when (!saves.Stopped)
        {
            saves.Write("stopped", e.Message, saves.Done);
            throw;
        }
        trainingLog.Write(folder.TrainingLog);
        var last = trainingLog.Rows.LastOrDefault(r => r.Phase == "pretrain");
        (record with { Status = "complete", Step = last.Phase is null ? 0 : last.Step + 1, WallSeconds = Wall() }).Write(folder.RecordFile);
        RunCheckpoint.Remove(folder.Checkpoint);
    }

    /// <summary>What a build reads, fingerprinted (tokenizer and corpus files), so that a resume refuses inputs that changed.</summary>
    private static IReadOnlyList<ManifestInput> Fingerprints(Scenario s) =>
        RunInputsResolver.Fingerprints(s, RunInputsResolver.BaseDirectory(s), ModelOrigin.Scratch);

    /// <summary>A corpus other than the synthetic world has no held-out facts to probe.</summary>
    private static readonly BackgroundKnowledge NotMeasured = new(double.NaN, double.NaN, double.NaN, 0, 0);

    /// <summary>The resume state of a build: restored at the start, saved every checkpoint_every updates and on a stop.</summary>
    private sealed class SavePoints(Scenario s, RecipeFolder folder, RunCheckpoint? from, CausalLM model, BatchComposer composer,
        TrainingLog log, RecipeRecord record, Func<double> wall) : IPretrainCheckpoints
    {
        public int Every => s.Runtime.CheckpointEvery;
        public int Done { get; private set; }
        public bool Stopped { get; private set; }

        public int Restore(Trainer trainer)
        {
            if (from is null) return 0;
            from.Restore(folder.Checkpoint, model, trainer);
            composer.Background.Position = from.Stream;
            return Done = from.Step;
        }

        /// <summary>The log first, then the checkpoint: a kill between them resumes from the older checkpoint, whose log rows are all there.</summary>
        public void Save(int done, Trainer trainer)
        {
            Done = done;
            Write("running", null, done);
            RunCheckpoint.Save(folder.Checkpoint, done, model, trainer, composer.Background.Position);
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Stop(int next, Trainer trainer)
        {
            Stopped = true;
            Done = next;
            var message = $"interrupted at pretraining update {next} of {s.Pretrain!.Steps}; continue with: harness pretrain "
                          + $"{ScenarioComposer.DisplayName(s.SourcePath)} --out {(s.Cell.Count > 0 ? Path.GetDirectoryName(folder.Root) : folder.Root)} --resume";
            Write("stopped", message, next);
            RunCheckpoint.Save(folder.Checkpoint, next, model, trainer, composer.Background.Position);
            throw new RunStoppedException(message);
        }

        /// <summary>The record (a build's first write, which says whose the folder is) and the log, as of <paramref name="done"/> updates.</summary>
        public void Write(string status, string? message, int done)
        {
            (record with { Status = status, StatusMessage = message, Step = done, WallSeconds = wall() }).Write(folder.RecordFile);
            log.Write(folder.TrainingLog);
        }
    }

    /// <summary>Held-out documents come from another seed of the same world: same facts, unseen sentences.</summary>
    private static BackgroundKnowledge Measure(CausalLM model, ITextTokenizer tokenizer, Scenario s, TorchSharp.torch.Device device)
    {
        using var heldOut = HeldOutStream();
        return BackgroundMeasurement.Measure(model, tokenizer, heldOut, HeldOutRows, s.Data.SequenceLength,
            WorldText.BackgroundFactProbes(400), WorldText.BackgroundCompositionProbes(200), device);
    }

    /// <summary>The same held-out rows every time, so that losses measured at different updates (and widths) compare.</summary>
    private static double HeldOutLoss(CausalLM model, Scenario s, TorchSharp.torch.Device device)
    {
        using var heldOut = HeldOutStream();
        var loss = BackgroundMeasurement.HeldOutLoss(model, heldOut, HeldOutRows, s.Data.SequenceLength, device);
        model.train();
        return loss;
    }

    private const int HeldOutRows = 64;
    private static WorldStream HeldOutStream() => new(WorldTokenizer.Create(), seed: 0x4E1D);
}

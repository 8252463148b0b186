using System.Diagnostics;
using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Pretrains a tiny recipe from scratch into its cache folder, saving each <c>pretrain.save_at</c> stage as a checkpoint
/// with its optimizer state, data position, schedule and what it knows of the background world.
/// </summary>
public static class TinyRecipeBuild
{
    public static void Run(Scenario s, string root, IProgress<string>? log, IProgress<RunProgress>? progress)
    {
        var pre = s.Pretrain ?? throw new InputException($"{s.SourcePath}: a pretraining recipe needs a pretrain section");
        var clock = Stopwatch.StartNew();
        var device = TorchRuntime.Configure(s.Runtime.Device, s.Runtime.Threads, s.Seed);
        var tokenizer = TokenizerSource.Resolve(s.Tokenizer, root);
        using var model = ModelSource.Create(s, ModelOrigin.Scratch, tokenizer, device);
        using var background = CorpusSource.Open(s.Data.Corpus, root, tokenizer);
        var composer = new BatchComposer(background, new KnowledgeSet("none", []), tokenizer, s.Data.BatchSize, s.Data.SequenceLength, "prepend");
        var trainingLog = new TrainingLog();
        using var trainer = Pretraining.Run(model, composer, pre, s.Training.GradAccumulation, s.Data.BatchSize, s.Data.SequenceLength,
            trainingLog, progress, CancellationToken.None, (stage, step, t) =>
            {
                var known = Measure(model, tokenizer, s, device);
                var tmp = Path.Combine(root, $".{stage}.tmp-{Environment.ProcessId}");
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                HfCheckpoint.Save(model, tmp);
                t.SaveState(Path.Combine(tmp, CheckpointMetadata.OptimizerFile));
                new CheckpointMetadata
                {
                    Stage = stage, Step = step, Corpus = s.Data.Corpus, Stream = background.Position,
                    Schedule = Pretraining.Schedule(pre), Background = known, Recipe = s.Name,
                    WallSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
                }.Write(tmp);
                var folder = Path.Combine(root, stage);
                if (Directory.Exists(folder)) Directory.Delete(folder, true);
                Directory.Move(tmp, folder);
                log?.Report($"{stage}: step {step}, held-out loss {known.HeldOutLoss:F3}, background facts top-1 {known.FactTop1:P0}, two-hop top-1 {known.CompositionTop1:P0} ({clock.Elapsed.TotalSeconds:F0} s)");
            }, () => HeldOutLoss(model, s, device));
        trainingLog.Write(Path.Combine(root, "training.csv"));
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

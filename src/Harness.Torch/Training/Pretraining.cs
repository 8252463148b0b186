using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// The save points of a resumable pretraining build (<c>harness pretrain recipe.yaml --out DIR</c>): where its loop
/// starts, a checkpoint every <see cref="Every"/> updates, and a stop with a checkpoint when it is cancelled.
/// </summary>
public interface IPretrainCheckpoints
{
    /// <summary>Restores a saved state into the model, <paramref name="trainer"/> and data stream; the update to continue from (0: a fresh build).</summary>
    int Restore(Trainer trainer);

    /// <summary>Updates between checkpoints; 0: only when stopped.</summary>
    int Every { get; }

    /// <summary>Saves the state after <paramref name="done"/> updates.</summary>
    void Save(int done, Trainer trainer);

    /// <summary>Saves the state before update <paramref name="next"/>, then throws <see cref="RunStoppedException"/>.</summary>
    [DoesNotReturn]
    void Stop(int next, Trainer trainer);
}

/// <summary>Background-only updates (no knowledge, nothing logged to the trajectory), with a hook at named stages.</summary>
public static class Pretraining
{
    /// <param name="checkpoints">Save points of a resumable build; without them a cancelled pretraining has to start over.</param>
    public static Trainer Run(CausalLM model, BatchComposer composer, PretrainSpec spec, int gradAccumulation, int batchSize,
        int sequenceLength, TrainingLog log, IProgress<RunProgress>? progress, CancellationToken cancel,
        Action<string, int, Trainer>? atStage = null, Func<double>? heldOutLoss = null, IPretrainCheckpoints? checkpoints = null)
    {
        if (spec.StopAtLoss > 0 && heldOutLoss == null)
            throw new InputException("pretrain.stop_at_loss needs a held-out loss, which only a pretraining recipe's build measures (harness pretrain recipe.yaml --out DIR); set pretrain.steps instead");
        var device = model.parameters().First().device;
        var schedule = Schedule(spec);
        var trainer = new Trainer(model, spec.Optimizer, schedule, gradAccumulation, device);
        var stages = spec.SaveAt.ToLookup(kv => kv.Value, kv => kv.Key);
        try
        {
            for (int u = checkpoints?.Restore(trainer) ?? 0; u < spec.Steps; u++)
            {
                if (cancel.IsCancellationRequested)
                {
                    checkpoints?.Stop(u, trainer);
                    throw new RunStoppedException($"interrupted during pretraining at update {u} of {spec.Steps}; nothing was logged yet, so run again from the start");
                }
                long start = Stopwatch.GetTimestamp();
                var (loss, lr) = trainer.Step(composer.Compose([]), batchSize, sequenceLength, u);
                log.Add("pretrain", u, loss, lr, new StepTime(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, 0));
                progress?.Report(new RunProgress("pretrain", u + 1, spec.Steps, loss));
                foreach (var stage in stages[u + 1]) atStage?.Invoke(stage, u + 1, trainer);
                if (spec.StopAtLoss > 0 && (u + 1) % spec.CheckEvery == 0 && u + 1 < spec.Steps)
                {
                    double held = heldOutLoss!();
                    log.Add("held-out", u, held, lr);
                    if (held <= spec.StopAtLoss)
                    {
                        // Stages still due are saved here: this is the matched-loss point the recipe asked for.
                        foreach (var stage in spec.SaveAt.Where(kv => kv.Value > u + 1).Select(kv => kv.Key)) atStage?.Invoke(stage, u + 1, trainer);
                        return trainer;
                    }
                }
                if (checkpoints is { Every: > 0 } c && (u + 1) % c.Every == 0 && u + 1 < spec.Steps) c.Save(u + 1, trainer);
            }
            if (spec.StopAtLoss > 0 && heldOutLoss!() is var final && final > spec.StopAtLoss)
                throw new RunStoppedException($"pretraining reached update {spec.Steps} with held-out loss {final:F3}, above pretrain.stop_at_loss {spec.StopAtLoss}; raise pretrain.steps or the target");
        }
        catch (NonFiniteLossException e)
        {
            trainer.Dispose();
            throw new RunStoppedException($"pretraining: {e.Message}; lower pretrain.optimizer.lr and run again");
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        return trainer;
    }

    public static LearningRateSchedule Schedule(PretrainSpec spec) => LearningRateSchedule.From(spec.Optimizer, spec.Schedule, spec.Steps);
}

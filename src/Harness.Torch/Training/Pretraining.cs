using System.Diagnostics;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>Background-only updates (no knowledge, nothing logged to the trajectory), with a hook at named stages.</summary>
public static class Pretraining
{
    public static Trainer Run(CausalLM model, BatchComposer composer, PretrainSpec spec, int gradAccumulation, int batchSize,
        int sequenceLength, TrainingLog log, IProgress<RunProgress>? progress, CancellationToken cancel,
        Action<string, int, Trainer>? atStage = null, Func<double>? heldOutLoss = null)
    {
        if (spec.StopAtLoss > 0 && heldOutLoss == null)
            throw new InputException("pretrain.stop_at_loss needs a held-out loss, which only the built-in tiny recipes measure; set pretrain.steps instead");
        var device = model.parameters().First().device;
        var schedule = Schedule(spec);
        var trainer = new Trainer(model, spec.Optimizer, schedule, gradAccumulation, device);
        var stages = spec.SaveAt.ToLookup(kv => kv.Value, kv => kv.Key);
        try
        {
            for (int u = 0; u < spec.Steps; u++)
            {
                if (cancel.IsCancellationRequested)
                    throw new RunStoppedException($"interrupted during pretraining at update {u} of {spec.Steps}; nothing was logged yet, so run again from the start");
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

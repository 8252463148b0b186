using System.Diagnostics;
using Harness.Model;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>Background-only updates (no knowledge, nothing logged to the trajectory), with a hook at named stages.</summary>
public static class Pretraining
{
    public static Trainer Run(CausalLM model, BatchComposer composer, PretrainSpec spec, int gradAccumulation, int batchSize,
        int sequenceLength, TrainingLog log, IProgress<RunProgress>? progress, CancellationToken cancel,
        Action<string, int, Trainer>? atStage = null)
    {
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
            }
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

using System.Diagnostics;
using Harness.Model;
using Harness.Scenarios;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>Times the real <see cref="Trainer.Step"/> (forward, cross-entropy, backward, clip, AdamW) on random tokens.</summary>
public static class TrainStepBench
{
    /// <summary>
    /// Wall times of <paramref name="steps"/> training steps in milliseconds, after <paramref name="warmup"/> untimed
    /// ones. On a shared machine the minimum is the steadier estimate of the uncontended cost; the median is typical.
    /// </summary>
    public static double[] StepTimesMs(BenchPreset preset, int steps, int warmup = 3, int seed = 1,
        ScalarType compute = ScalarType.Float32) =>
        Variants(preset, steps, [m => m.ComputeType = compute], warmup, seed)[0];

    /// <summary>
    /// Step times of several variants of one model (each set up by its action before its step), taken in turns
    /// step by step so that a shared machine's changing load falls on all of them alike.
    /// </summary>
    public static double[][] Variants(BenchPreset preset, int steps, IReadOnlyList<Action<CausalLM>> variants, int warmup = 3, int seed = 1)
    {
        manual_seed(seed);
        using var model = new CausalLM(preset.Config);
        model.InitializeWeights();
        var spec = new OptimizerSpec { Lr = 1e-3, WeightDecay = 0.01 };
        using var trainer = new Trainer(model, spec, new LearningRateSchedule(spec.Lr, "constant", 0, 0, 1), 1, CPU);
        var batches = Batches(preset, 4, seed);
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < warmup + steps; i++)
            for (int v = 0; v < variants.Count; v++)
            {
                variants[v](model);
                var sw = Stopwatch.StartNew();
                trainer.Step(batches[i % batches.Length], preset.BatchSize, preset.SequenceLength, i);
                if (i >= warmup) times[v].Add(sw.Elapsed.TotalMilliseconds);
            }
        return times.Select(t => t.ToArray()).ToArray();
    }

    public static long[][] Batches(BenchPreset preset, int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, preset.BatchSize * preset.SequenceLength).Select(_ => (long)rng.Next(preset.Config.VocabSize)).ToArray())
            .ToArray();
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

using System.Diagnostics;
using Harness.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// Where a training step's time goes: forward alone, forward with autograd, + loss, + backward, clipping and AdamW,
/// each timed as a cumulative prefix of the step (medians in ms), so the differences are the cost of each block.
/// </summary>
public static class StepProfile
{
    public static IReadOnlyList<(string Block, double Ms, double CpuMs)> Measure(BenchPreset preset, int repeats)
    {
        manual_seed(1);
        using var model = new CausalLM(preset.Config);
        model.InitializeWeights();
        var parameters = model.parameters().ToArray();
        using var adam = optim.AdamW(parameters, 1e-3, 0.9, 0.95, 1e-8, 0.01);
        var ids = TrainStepBench.Batches(preset, 1, 1)[0];
        var rows = tensor(ids, [preset.BatchSize, preset.SequenceLength]);
        var input = rows.narrow(1, 0, preset.SequenceLength - 1);
        var target = rows.narrow(1, 1, preset.SequenceLength - 1).reshape(-1);
        var result = new List<(string, double, double)>();

        (double, double) Time(Action a)
        {
            var (wall, cpu) = (new List<double>(), new List<double>());
            for (int i = 0; i < repeats + 2; i++)
            {
                var c0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                a();
                if (i < 2) continue;
                wall.Add(sw.Elapsed.TotalMilliseconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalMilliseconds);
            }
            return (TrainStepBench.Median(wall), TrainStepBench.Median(cpu));
        }
        void Add(string block, Action a) { var (w, c) = Time(a); result.Add((block, w, c)); }

        model.train();
        Add("forward, no autograd", (() => { using var s = NewDisposeScope(); using var g = no_grad(); model.forward(input); }));
        Add("hidden states only, no autograd", (() => { using var s = NewDisposeScope(); using var g = no_grad(); model.Hidden(input); }));
        Add("forward", (() => { using var s = NewDisposeScope(); model.forward(input); }));
        Add("forward + loss", (() => { using var s = NewDisposeScope(); Loss(model, input, target); }));
        Add("forward + loss + backward", (() =>
        {
            using var s = NewDisposeScope();
            adam.zero_grad();
            Loss(model, input, target).backward();
        }));
        Add("clip_grad_norm_", (() => nn.utils.clip_grad_norm_(parameters, 1.0)));
        Add("AdamW step", (() => adam.step()));
        Add("zero_grad", (() => adam.zero_grad()));
        using (no_grad())
        {
            long b = preset.BatchSize, t = preset.SequenceLength - 1, d = preset.Config.HiddenSize, v = preset.Config.VocabSize;
            int h = preset.Config.NumHeads, hd = preset.Config.HeadDim;
            var x = randn(b, t, d);
            var w = randn(v, d);
            var logits = randn(b * t, v);
            var q = randn(b, h, t, hd); var k = randn(b, h, t, hd); var vv = randn(b, h, t, hd);
            var wqkv = randn(d, d);
            var mask = ones(t, t, dtype: ScalarType.Bool).triu(1);
            Add("op: LM head linear", () => { using var s = NewDisposeScope(); nn.functional.linear(x, w); });
            Add("op: d x d linear", () => { using var s = NewDisposeScope(); nn.functional.linear(x, wqkv); });
            Add("op: cross_entropy", () => { using var s = NewDisposeScope(); nn.functional.cross_entropy(logits, target); });
            Add("op: log_softmax", () => { using var s = NewDisposeScope(); logits.log_softmax(-1); });
            Add("op: sdpa causal", () => { using var s = NewDisposeScope(); nn.functional.scaled_dot_product_attention(q, k, vv, is_casual: true); });
            Add("op: explicit masked softmax attention", () =>
            {
                using var s = NewDisposeScope();
                var a = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(hd)).masked_fill_(mask, float.NegativeInfinity).softmax(-1);
                a.matmul(vv);
            });
            Add("op: layer_norm", () => { using var s = NewDisposeScope(); nn.functional.layer_norm(x, [d], null, null, 1e-5); });
            Add("op: x * y (elementwise)", () => { using var s = NewDisposeScope(); _ = x * x; });
        }
        return result;
    }

    private static Tensor Loss(CausalLM model, Tensor input, Tensor target)
    {
        var logits = model.forward(input);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), target);
    }
}

using Harness.Model;
using Harness.Scenarios;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>One phase of training: AdamW with a learning-rate schedule, gradient accumulation and global-norm clipping.</summary>
public sealed class Trainer : IDisposable
{
    private readonly CausalLM model;
    private readonly OptimizerHelper optimizer;
    private readonly Parameter[] parameters;
    private readonly string[] names;
    private readonly Dictionary<string, int> indexOf;
    private readonly LearningRateSchedule schedule;
    private readonly int accumulation;
    private readonly double clip;
    private readonly Device device;

    public Trainer(CausalLM model, OptimizerSpec spec, LearningRateSchedule schedule, int gradAccumulation, Device device)
    {
        if (spec.Name != "adamw") throw new InputException($"optimizer '{spec.Name}' is not supported; use adamw");
        this.model = model;
        this.schedule = schedule;
        this.device = device;
        accumulation = Math.Max(1, gradAccumulation);
        clip = spec.GradClip;
        parameters = model.parameters().ToArray();
        names = model.named_parameters().Select(p => p.name).ToArray();
        indexOf = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        optimizer = optim.AdamW(parameters, spec.Lr, spec.Beta1, spec.Beta2, spec.Eps, spec.WeightDecay);
    }

    /// <summary>The update's mean loss and learning rate. A non-finite loss throws before the weights change.</summary>
    public (double Loss, double Lr) Step(long[] ids, int batch, int sequenceLength, int update)
    {
        double lr = schedule.At(update);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
        model.train();
        optimizer.zero_grad();
        int micro = batch / accumulation;
        double total = 0;
        for (int m = 0; m < accumulation; m++)
        {
            using var scope = NewDisposeScope();
            var rows = tensor(ids.AsSpan(m * micro * sequenceLength, micro * sequenceLength).ToArray(), [micro, sequenceLength], device: device);
            var input = rows.narrow(1, 0, sequenceLength - 1);
            var target = rows.narrow(1, 1, sequenceLength - 1);
            var logits = model.forward(input);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]).to_type(ScalarType.Float32), target.reshape(-1));
            double value = loss.item<float>();
            if (!double.IsFinite(value)) throw new NonFiniteLossException(update, value, lr);
            (loss / accumulation).backward();
            total += value / accumulation;
        }
        if (clip > 0) nn.utils.clip_grad_norm_(parameters, clip);
        optimizer.step();
        return (total, lr);
    }

    public void SaveState(string path) => optimizer.save_state_dict(path);

    public void LoadState(string path) => optimizer.load_state_dict(path);

    /// <summary>The model's parameter names, in the optimizer's order.</summary>
    public IReadOnlyList<string> ParameterNames => names;

    /// <summary>One parameter's AdamW state as the trainer holds it: step and both moments, flattened.</summary>
    public (long Step, float[] ExpAvg, float[] ExpAvgSq) AdamState(string name)
    {
        if (!indexOf.TryGetValue(name, out int i)) throw new ArgumentException($"the model has no parameter {name}", nameof(name));
        var adam = (TorchSharp.Modules.AdamW.State)optimizer.state_dict().State[i];
        return (adam.step, adam.exp_avg.cpu().data<float>().ToArray(), adam.exp_avg_sq.cpu().data<float>().ToArray());
    }

    /// <summary>
    /// Sets one parameter's AdamW state. A checkpoint's optimizer state is imported a parameter at a time, so that its
    /// moments (56 GB at OLMo-7B) never sit in host memory all at once; the caller checks that every parameter got one.
    /// </summary>
    public void ImportAdamState(string name, long step, float[] expAvg, float[] expAvgSq, string source)
    {
        var states = optimizer.state_dict().State;
        if (states.Count != names.Length) throw new InvalidOperationException("optimizer and model disagree on the parameter count");
        if (!indexOf.TryGetValue(name, out int i)) throw new InputException($"{source}: optimizer state for {name}, which the model does not have.");
        var adam = (TorchSharp.Modules.AdamW.State)states[i];
        if (expAvg.Length != adam.exp_avg.numel() || expAvgSq.Length != adam.exp_avg_sq.numel())
            throw new InputException($"{source}: the optimizer state of {name} has another size than the parameter.");
        using var _ = no_grad();
        adam.step = step;
        using var m = tensor(expAvg, adam.exp_avg.shape);
        using var v = tensor(expAvgSq, adam.exp_avg_sq.shape);
        adam.exp_avg.copy_(m);
        adam.exp_avg_sq.copy_(v);
    }

    public void Dispose() => optimizer.Dispose();
}

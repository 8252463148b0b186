using Harness.Data.PyTorch;

namespace Harness.Data.Olmo;

/// <summary>
/// An unsharded OLMo training checkpoint folder as OLMo's <c>FullCheckpointer</c> writes it (<c>olmo/checkpoint.py</c>):
/// <c>model.pt</c> (the model's state dict, OLMo parameter names such as <c>transformer.blocks.0.att_proj.weight</c>),
/// <c>optim.pt</c> (the optimizer's state dict; FSDP's full form keys <c>state</c> by parameter name, a plain
/// <c>optim.state_dict()</c> by index, with <c>param_groups[i].param_names</c> naming them), <c>train.pt</c> (the trainer
/// state: <c>global_step</c>, <c>global_train_tokens_seen</c>, …, and RNG states) and <c>config.yaml</c>. Every pickle is
/// read by <see cref="RestrictedUnpickler"/>.
/// </summary>
public sealed record OlmoCheckpoint(string Folder, OlmoTrainConfig Config, long GlobalStep, long TokensSeen)
{
    public string ModelPath => Path.Combine(Folder, "model.pt");
    public string OptimizerPath => Path.Combine(Folder, "optim.pt");
    public string TrainerPath => Path.Combine(Folder, "train.pt");

    /// <summary>Whether <paramref name="folder"/> looks like an unsharded OLMo checkpoint (model.pt and config.yaml).</summary>
    public static bool IsOlmoCheckpoint(string folder) =>
        File.Exists(Path.Combine(folder, "model.pt")) && File.Exists(Path.Combine(folder, "config.yaml"));

    public static OlmoCheckpoint Open(string folder)
    {
        if (!IsOlmoCheckpoint(folder))
            throw new InputException($"{folder}: not an unsharded OLMo checkpoint (model.pt, optim.pt, train.pt and config.yaml); " +
                                     "a sharded one must be unsharded first with OLMo's scripts/unshard.py.");
        var config = OlmoTrainConfig.Read(Path.Combine(folder, "config.yaml"));
        var trainer = Path.Combine(folder, "train.pt");
        long step = 0, tokens = 0;
        if (File.Exists(trainer))
        {
            using var a = TorchArchive.Open(trainer);
            if (a.Root is not PickleDict state || !state.TryGet("global_step", out var s) || s is not long st)
                throw new InputException($"{trainer}: OLMo's trainer state has no integer global_step.");
            step = st;
            tokens = state.TryGet("global_train_tokens_seen", out var t) && t is long tk ? tk : step * config.GlobalBatchSize * (long)config.SequenceLength;
        }
        else
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
            if (!name.StartsWith("step", StringComparison.Ordinal) || !long.TryParse(name.AsSpan(4).TrimEnd("-unsharded"), out step))
                throw new InputException($"{folder}: train.pt is missing and the folder name (stepN-unsharded) does not give the step.");
            tokens = step * config.GlobalBatchSize * (long)config.SequenceLength;
        }
        return new OlmoCheckpoint(folder, config, step, tokens);
    }

    /// <summary>OLMo's scheduler as it stands at this checkpoint.</summary>
    public OlmoScheduler Scheduler => Config.Scheduler(GlobalStep, TokensSeen);

    /// <summary>The learning rate of the first update after this checkpoint (OLMo increments the step, then sets the rate).</summary>
    public double FirstUpdateLearningRate => Scheduler.LearningRate(GlobalStep + 1);
}

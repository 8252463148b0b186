using Harness.Data.Olmo;
using Harness.Data.PyTorch;
using Harness.Model;

namespace Harness.Training;

/// <summary>
/// OLMo's optim.pt into the trainer's AdamW. <c>FSDP.optim_state_dict</c> (OLMo's FullCheckpointer under FSDP) keys
/// <c>state</c> by parameter name; a plain <c>optim.state_dict()</c> (DDP, one device) keys it by index, and OLMo's param
/// groups name the indices in <c>param_names</c>. Each entry holds <c>step</c>, <c>exp_avg</c> and <c>exp_avg_sq</c>.
/// Entries are read and handed to the trainer one at a time: host memory holds one parameter's moments, not the file's.
/// </summary>
public static class OlmoOptimizerState
{
    public static void Load(Trainer trainer, OlmoCheckpoint checkpoint, DecoderConfig config)
    {
        var path = checkpoint.OptimizerPath;
        if (!File.Exists(path))
            throw new InputException($"{checkpoint.Folder}: optim.pt is missing, so the optimizer state cannot be resumed; supply the unsharded checkpoint with optim.pt or use training.optimizer.state: fresh.");
        using var archive = TorchArchive.Open(path);
        var root = archive.Root as PickleDict ?? throw new InputException($"{path}: not an optimizer state dict.");
        var state = root["state"] as PickleDict ?? throw new InputException($"{path}: 'state' is not a dict.");
        var indexNames = new Dictionary<long, string>();
        if (root.TryGet("param_groups", out var g) && g is List<object?> groups)
            foreach (var group in groups.OfType<PickleDict>())
                if (group.TryGet("params", out var ps) && ps is List<object?> ids && group.TryGet("param_names", out var ns) && ns is List<object?> names)
                    foreach (var (id, name) in ids.Zip(names))
                        if (id is long i && name is string n) indexNames[i] = n;

        var imported = new HashSet<string>();
        foreach (var (key, value) in state.Entries)
        {
            string name = key switch
            {
                string s => s,
                long i when indexNames.TryGetValue(i, out var n) => n,
                _ => throw new InputException($"{path}: optimizer state key {key} names no parameter (no param_names in param_groups)."),
            };
            name = name.Replace("_fsdp_wrapped_module.", "");
            var entry = value as PickleDict ?? throw new InputException($"{path}: the state of {name} is not a dict.");
            var m = entry["exp_avg"] as TorchTensorRef ?? throw new InputException($"{path}: {name} has no exp_avg tensor.");
            var v = entry["exp_avg_sq"] as TorchTensorRef ?? throw new InputException($"{path}: {name} has no exp_avg_sq tensor.");
            long step = entry["step"] switch
            {
                long l => l,
                double d => (long)d,
                TorchTensorRef t => (long)archive.ReadFloats(t)[0],
                var x => throw new InputException($"{path}: the step of {name} is {x}."),
            };
            var ms = OlmoWeights.Split(config, name, m.Shape, archive.ReadFloats(m), path).ToList();
            var vs = OlmoWeights.Split(config, name, v.Shape, archive.ReadFloats(v), path).ToList();
            for (int i = 0; i < ms.Count; i++)
            {
                trainer.ImportAdamState(ms[i].Name, step, ms[i].Values, vs[i].Values, path);
                imported.Add(ms[i].Name);
            }
        }
        if (trainer.ParameterNames.FirstOrDefault(n => !imported.Contains(n)) is { } missing)
            throw new InputException($"{path}: no optimizer state for {missing}.");
    }
}

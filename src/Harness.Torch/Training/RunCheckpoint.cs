using System.Text.Json;
using Harness.Data.Corpora;
using Harness.Model;
using Harness.Runs;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Resume state of a run at an update: model weights, optimizer moments, background-stream position and torch RNG.
/// Written into a fresh folder that then replaces the old one, so a kill mid-save leaves the previous checkpoint intact.
/// </summary>
public sealed record RunCheckpoint(int Step, StreamPosition Stream, string RngState)
{
    private const string StateFile = "state.json", ModelFile = "model.bin", OptimizerFile = "optimizer.bin";

    public static void Save(string folder, int step, CausalLM model, Trainer trainer, StreamPosition stream)
    {
        var tmp = folder + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        model.save(Path.Combine(tmp, ModelFile));
        trainer.SaveState(Path.Combine(tmp, OptimizerFile));
        using var rng = get_rng_state();
        var state = new RunCheckpoint(step, stream, Convert.ToBase64String(rng.data<byte>().ToArray()));
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, RunManifest.Json));
        var old = folder + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(folder)) Directory.Move(folder, old);
        Directory.Move(tmp, folder);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    public static RunCheckpoint? Find(string folder)
    {
        var path = Path.Combine(folder, StateFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunCheckpoint>(File.ReadAllText(path), RunManifest.Json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: unreadable resume state ({e.Message}); delete the checkpoint folder to start over");
        }
    }

    public void Restore(string folder, CausalLM model, Trainer trainer)
    {
        model.load(Path.Combine(folder, ModelFile));
        trainer.LoadState(Path.Combine(folder, OptimizerFile));
        var bytes = Convert.FromBase64String(RngState);
        using var rng = tensor(bytes, dtype: ScalarType.Byte);
        set_rng_state(rng);
    }
}

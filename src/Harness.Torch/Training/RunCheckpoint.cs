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

    /// <summary>
    /// Writes the checkpoint into <c>checkpoint.tmp-&lt;pid&gt;</c>, then swaps it in. A save that fails (a full disk: .NET's
    /// streams, which TorchSharp's <c>save</c> writes through, throw <see cref="IOException"/>) leaves the previous
    /// checkpoint in place and none of the partial copy behind.
    /// </summary>
    public static void Save(string folder, int step, CausalLM model, Trainer trainer, StreamPosition stream)
    {
        var tmp = folder + $".tmp-{Environment.ProcessId}";
        var old = folder + ".old";
        try
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            Directory.CreateDirectory(tmp);
            model.save(Path.Combine(tmp, ModelFile));
            trainer.SaveState(Path.Combine(tmp, OptimizerFile));
            using var rng = get_rng_state();
            var state = new RunCheckpoint(step, stream, Convert.ToBase64String(rng.data<byte>().ToArray()));
            File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, RunManifest.Json));
            if (Directory.Exists(old)) Directory.Delete(old, true);
            if (Directory.Exists(folder)) Directory.Move(folder, old);
            Directory.Move(tmp, folder);
        }
        catch
        {
            BestEffort(() =>
            {
                if (!Directory.Exists(folder) && Directory.Exists(old)) Directory.Move(old, folder);
            });
            BestEffort(() =>
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            });
            throw;
        }
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    /// <summary>Clean-up after a failed save must not hide why it failed.</summary>
    private static void BestEffort(Action cleanUp)
    {
        try { cleanUp(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The checkpoint a resume continues from; none when the work stopped before its first checkpoint was saved (its
    /// claim has checked the record), and then it starts over from update 0.
    /// </summary>
    public static RunCheckpoint? ResumePoint(string folder) =>
        Find(folder) ?? (Directory.Exists(folder) ? throw new InputException($"{folder}: no resume state in it; --force starts over") : null);

    /// <summary>
    /// Removes the checkpoint of finished work. Renamed, then removed: a kill half way through the removal leaves no half
    /// checkpoint that --resume would take for a whole one (the next claim removes the renamed rest).
    /// </summary>
    public static void Remove(string folder)
    {
        if (!Directory.Exists(folder)) return;
        var removed = $"{folder}.done-{Environment.ProcessId}";
        Directory.Move(folder, removed);
        Directory.Delete(removed, true);
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

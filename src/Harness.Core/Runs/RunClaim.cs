using System.Text.Json.Nodes;

namespace Harness.Runs;

/// <summary>How a run treats what its directory already holds.</summary>
public enum RunStart
{
    /// <summary>Only into a directory without a run.</summary>
    Fresh,
    /// <summary>Continue the stopped run of the same experiment from its checkpoint.</summary>
    Resume,
    /// <summary>Remove everything the run there wrote, checkpoint included, and start over.</summary>
    Replace,
}

/// <summary>
/// The right to write a run directory: its lock, held until disposed, and the decision of what may happen to a run
/// already there. A directory never silently receives a second run, a resume never continues another experiment or
/// other inputs, and a checkpoint is discarded only by <see cref="RunStart.Replace"/>.
/// </summary>
public sealed class RunClaim : IDisposable
{
    private readonly RunLock runLock;

    public RunPaths Paths { get; }

    private RunClaim(RunPaths paths, RunLock runLock) => (Paths, this.runLock) = (paths, runLock);

    public static RunClaim Take(string root, RunStart start, JsonNode resolvedScenario, IReadOnlyList<ManifestInput> inputs)
    {
        var paths = new RunPaths(root);
        if (File.Exists(root)) throw new InputException($"{root} is a file; --out names a folder for the run directory");
        var runLock = RunLock.Acquire(root);
        try
        {
            switch (start)
            {
                case RunStart.Fresh:
                    Tidy(paths);
                    RefuseExisting(paths);
                    break;
                case RunStart.Resume:
                    Tidy(paths);
                    CheckResumable(paths, resolvedScenario, inputs);
                    break;
                case RunStart.Replace:
                    foreach (var entry in paths.Written())
                        if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                        else File.Delete(entry);
                    break;
            }
            return new RunClaim(paths, runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Puts back what a killed process left half done: a checkpoint swapped out but not yet replaced returns, and the
    /// temporaries of unfinished writes go (the lock is held, so no process is writing them).
    /// </summary>
    private static void Tidy(RunPaths paths)
    {
        if (!Directory.Exists(paths.Checkpoint) && Directory.Exists(paths.PreviousCheckpoint))
            Directory.Move(paths.PreviousCheckpoint, paths.Checkpoint);
        foreach (var entry in paths.Temporaries().ToList())
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
    }

    private static void RefuseExisting(RunPaths paths)
    {
        var written = paths.Written().Select(Path.GetFileName).ToList();
        if (written.Count == 0) return;
        var what = File.Exists(paths.Manifest) && TryRead(paths.Manifest) is { } m
            ? $"holds a {m.Status} run of {m.Scenario}"
            : $"holds files of a run ({string.Join(", ", written.Take(4))})";
        var checkpoint = Directory.Exists(paths.Checkpoint) ? " and its resumable checkpoint" : "";
        throw new InputException(
            $"{paths.Root} {what}{checkpoint}; continue it with --resume, replace it (removing everything it wrote) with --force, or choose another --out");
    }

    private static void CheckResumable(RunPaths paths, JsonNode resolvedScenario, IReadOnlyList<ManifestInput> inputs)
    {
        var manifest = File.Exists(paths.Manifest) ? RunManifestFile.Read(paths.Manifest) : null;
        // Without a checkpoint, a run that stopped before its step-0 checkpoint was saved (a full disk, a kill) resumes
        // from the start: the same experiment from update 0 makes the same trajectory. Only its manifest, which is its
        // first write, can say which experiment that is.
        if (!Directory.Exists(paths.Checkpoint))
        {
            if (manifest is { Status: "complete" })
                throw new InputException($"{paths.Root}: the run is complete; nothing to resume (--force starts it over)");
            if (manifest is null)
                throw new InputException(paths.Written().Any()
                    ? $"{paths.Root}: nothing to resume (no checkpoint, no manifest.json saying which run the files there belong to); --force starts over"
                    : $"{paths.Root}: nothing to resume (no run there); run without --resume to start one");
        }
        if (manifest?.ResolvedScenario is null)
            throw new InputException($"{paths.Root}: no manifest.json says which scenario the run there belongs to; --force starts over");

        var hash = RunIdentity.Hash(resolvedScenario);
        if ((manifest.ScenarioHash ?? RunIdentity.Hash(manifest.ResolvedScenario)) != hash)
        {
            var changes = RunIdentity.Differences(manifest.ResolvedScenario, resolvedScenario);
            throw new InputException($"{paths.Root} holds a run of another experiment than this scenario describes ({string.Join("; ", changes)}); "
                                     + "resume it with the scenario it started with, or start over with --force or another --out");
        }
        var changed = (manifest.Inputs ?? [])
            .Select(old => (old, now: inputs.FirstOrDefault(i => i.Role == old.Role)))
            .Where(p => p.now is null || p.now.Fingerprint != p.old.Fingerprint)
            .Select(p => $"{p.old.Role} {p.old.Spec}")
            .ToList();
        if (changed.Count > 0)
            throw new InputException($"{paths.Root}: inputs changed since the run started: {string.Join(", ", changed)}; "
                                     + "restore them to resume, or start over with --force");
    }

    private static RunManifest? TryRead(string path)
    {
        try { return RunManifestFile.Read(path); }
        catch (InputException) { return null; }
    }

    public void Dispose() => runLock.Dispose();
}

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
/// The right to write a run directory (or another <see cref="IClaimedFolder"/>, such as a pretraining recipe's build):
/// its lock, held until disposed, and the decision of what may happen to what is already there. A folder never
/// silently receives a second run, a resume never continues another experiment or other inputs, and a checkpoint is
/// discarded only by <see cref="RunStart.Replace"/>.
/// </summary>
public sealed class RunClaim : IDisposable
{
    private readonly RunLock runLock;

    public IClaimedFolder Folder { get; }

    private RunClaim(IClaimedFolder folder, RunLock runLock) => (Folder, this.runLock) = (folder, runLock);

    public static RunClaim Take(string root, RunStart start, JsonNode resolvedScenario, IReadOnlyList<ManifestInput> inputs) =>
        Take(new RunPaths(root), start, resolvedScenario, inputs);

    public static RunClaim Take(IClaimedFolder folder, RunStart start, JsonNode resolvedScenario, IReadOnlyList<ManifestInput> inputs)
    {
        var root = folder.Root;
        if (File.Exists(root)) throw new InputException($"{root} is a file; --out names a folder for the {folder.Noun}");
        var runLock = RunLock.Acquire(root);
        try
        {
            switch (start)
            {
                case RunStart.Fresh:
                    Tidy(folder);
                    RefuseExisting(folder);
                    break;
                case RunStart.Resume:
                    Tidy(folder);
                    CheckResumable(folder, resolvedScenario, inputs);
                    break;
                case RunStart.Replace:
                    foreach (var entry in folder.Written())
                        if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                        else File.Delete(entry);
                    break;
            }
            return new RunClaim(folder, runLock);
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
    private static void Tidy(IClaimedFolder folder)
    {
        if (!Directory.Exists(folder.Checkpoint) && Directory.Exists(folder.PreviousCheckpoint))
            Directory.Move(folder.PreviousCheckpoint, folder.Checkpoint);
        foreach (var entry in folder.Temporaries().ToList())
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
    }

    private static void RefuseExisting(IClaimedFolder folder)
    {
        var written = folder.Written().Select(Path.GetFileName).ToList();
        if (written.Count == 0) return;
        var m = TryRead(folder);
        var what = m is not null
            ? $"holds a {m.Status} {folder.Noun} of {m.Name}"
            : $"holds files of a {folder.Noun} ({string.Join(", ", written.Take(4))})";
        var checkpoint = Directory.Exists(folder.Checkpoint) ? " and its resumable checkpoint" : "";
        var resume = m is { Status: "complete" } ? "" : "continue it with --resume, ";
        throw new InputException(
            $"{folder.Root} {what}{checkpoint}; {resume}replace it (removing everything it wrote) with --force, or choose another --out");
    }

    private static void CheckResumable(IClaimedFolder folder, JsonNode resolvedScenario, IReadOnlyList<ManifestInput> inputs)
    {
        var record = folder.ReadRecord();
        var (noun, recordFile) = (folder.Noun, Path.GetFileName(folder.RecordFile));
        // Without a checkpoint, work that stopped before its first checkpoint was saved (a full disk, a kill) resumes
        // from the start: the same experiment from update 0 makes the same result. Only its record, which is its first
        // write, can say which experiment that is.
        if (!Directory.Exists(folder.Checkpoint))
        {
            if (record is { Status: "complete" })
                throw new InputException($"{folder.Root}: the {noun} is complete; nothing to resume (--force starts it over)");
            if (record is null)
                throw new InputException(folder.Written().Any()
                    ? $"{folder.Root}: nothing to resume (no checkpoint, no {recordFile} saying which {noun} the files there belong to); --force starts over"
                    : $"{folder.Root}: nothing to resume (no {noun} there); run without --resume to start one");
        }
        if (record?.ResolvedScenario is null)
            throw new InputException($"{folder.Root}: no {recordFile} says which scenario the {noun} there belongs to; --force starts over");

        if (RunIdentity.Changes(record.ScenarioHash, record.ResolvedScenario, resolvedScenario) is { } changes)
        {
            throw new InputException($"{folder.Root} holds a {noun} of another experiment than this scenario describes ({string.Join("; ", changes)}); "
                                     + "resume it with the scenario it started with, or start over with --force or another --out");
        }
        var changed = (record.Inputs ?? [])
            .Select(old => (old, now: inputs.FirstOrDefault(i => i.Role == old.Role)))
            .Where(p => p.now is null || p.now.Fingerprint != p.old.Fingerprint)
            .Select(p => $"{p.old.Role} {p.old.Spec}")
            .ToList();
        if (changed.Count > 0)
            throw new InputException($"{folder.Root}: inputs changed since the {noun} started: {string.Join(", ", changed)}; "
                                     + "restore them to resume, or start over with --force");
    }

    private static ClaimRecord? TryRead(IClaimedFolder folder)
    {
        try { return folder.ReadRecord(); }
        catch (InputException) { return null; }
    }

    public void Dispose() => runLock.Dispose();
}

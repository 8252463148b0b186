namespace Harness.Runs;

/// <summary>Where each file of a run directory (contract harness-run/1) lives, for the writer's side.</summary>
public sealed record RunPaths(string Root) : IClaimedFolder
{
    public const string TablesDir = "tables";
    public const string PlotsDir = "plots";
    public const string MetricsFile = "metrics.json";
    public const string TrainingLogFile = "training.csv";
    public const string CheckpointDir = "checkpoint";

    public string Manifest => Path.Combine(Root, RunDirectory.ManifestFile);
    public string Trajectory => Path.Combine(Root, RunDirectory.CsvFile);
    public string TrainingLog => Path.Combine(Root, TrainingLogFile);
    /// <summary>Resume state: model, optimizer, data position and RNG at the last saved update.</summary>
    public string Checkpoint => Path.Combine(Root, CheckpointDir);

    /// <summary>The checkpoint that a save swaps out; it stands alone only if a process died between the two renames.</summary>
    public string PreviousCheckpoint => Checkpoint + ".old";

    public string Noun => "run";
    public string RecordFile => Manifest;

    public ClaimRecord? ReadRecord() => File.Exists(Manifest) && RunManifestFile.Read(Manifest) is var m
        ? new ClaimRecord(m.Scenario, m.Status, m.ResolvedScenario, m.ScenarioHash, m.Inputs)
        : null;

    /// <summary>Everything a run and its analysis write here, temporaries included: what replacing a run removes.</summary>
    public IEnumerable<string> Written()
    {
        if (!Directory.Exists(Root)) yield break;
        string[] names = [RunDirectory.ManifestFile, RunDirectory.CsvFile, RunDirectory.ParquetFile, TrainingLogFile, MetricsFile, TablesDir, PlotsDir, CheckpointDir];
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root))
            if (names.Contains(Path.GetFileName(entry)) || IsTemporary(entry))
                yield return entry;
    }

    /// <summary>
    /// What a killed process can leave behind: <c>.&lt;name&gt;.&lt;pid&gt;.tmp</c> of an atomic write (here, in tables/ and
    /// in plots/) and <c>checkpoint.*</c> of a checkpoint being saved or removed.
    /// </summary>
    public IEnumerable<string> Temporaries()
    {
        foreach (var dir in new[] { Root, Path.Combine(Root, TablesDir), Path.Combine(Root, PlotsDir) })
            if (Directory.Exists(dir))
                foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                    if (IsTemporary(entry) && (dir == Root || File.Exists(entry)))
                        yield return entry;
    }

    /// <summary>Whether an entry is a temporary of an atomic write or of a checkpoint save (see <see cref="Temporaries"/>).</summary>
    public static bool IsTemporary(string entry)
    {
        var name = Path.GetFileName(entry);
        return name.StartsWith(CheckpointDir + ".", StringComparison.Ordinal)
               || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal));
    }
}

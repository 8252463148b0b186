namespace Harness.Runs;

/// <summary>Where each file of a run directory (contract harness-run/1) lives, for the writer's side.</summary>
public sealed record RunPaths(string Root)
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

    /// <summary>Everything a run and its analysis write here, temporaries included: what replacing a run removes.</summary>
    public IEnumerable<string> Written()
    {
        if (!Directory.Exists(Root)) yield break;
        string[] names = [RunDirectory.ManifestFile, RunDirectory.CsvFile, RunDirectory.ParquetFile, TrainingLogFile, MetricsFile, TablesDir, PlotsDir, CheckpointDir];
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root))
        {
            var name = Path.GetFileName(entry);
            if (names.Contains(name) || name.StartsWith(CheckpointDir + ".", StringComparison.Ordinal)
                || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)))
                yield return entry;
        }
    }
}

namespace Harness.Runs;

/// <summary>Where each file of a run directory (contract harness-run/1) lives, for the writer's side.</summary>
public sealed record RunPaths(string Root)
{
    public string Manifest => Path.Combine(Root, RunDirectory.ManifestFile);
    public string Trajectory => Path.Combine(Root, RunDirectory.CsvFile);
    public string TrainingLog => Path.Combine(Root, "training.csv");
    /// <summary>Resume state: model, optimizer, data position and RNG at the last saved update.</summary>
    public string Checkpoint => Path.Combine(Root, "checkpoint");
}

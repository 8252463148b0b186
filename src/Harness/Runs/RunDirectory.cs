namespace Harness.Runs;

/// <summary>The files of a run directory (contract harness-run/1), in one place.</summary>
public sealed record RunDirectory(string Root)
{
    public string Manifest => Path.Combine(Root, "manifest.json");
    public string Trajectory => Path.Combine(Root, "trajectory.csv");
    public string TrajectoryParquet => Path.Combine(Root, "trajectory.parquet");
    public string Metrics => Path.Combine(Root, "metrics.json");
    public string TrainingLog => Path.Combine(Root, "training.csv");
    public string Tables => Path.Combine(Root, "tables");
    public string Plots => Path.Combine(Root, "plots");
    /// <summary>Resume state: model, optimizer, data position and RNG at the last saved update.</summary>
    public string Checkpoint => Path.Combine(Root, "checkpoint");
}

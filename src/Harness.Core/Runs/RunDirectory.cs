using Harness.Data.Knowledge;

namespace Harness.Runs;

/// <summary>A run directory read for analysis: its manifest and its trajectory, checked against each other.</summary>
public sealed record RunDirectory(string Path, RunManifest Manifest, Trajectory Trajectory, string TrajectoryPath)
{
    public const string ManifestFile = "manifest.json";
    public const string CsvFile = "trajectory.csv";
    public const string ParquetFile = "trajectory.parquet";

    /// <summary>Reads manifest.json and trajectory.parquet (preferred) or trajectory.csv; bad input is an <see cref="InputException"/>.</summary>
    /// <param name="partial">Accept a run that did not complete (its metrics then say they are partial).</param>
    public static RunDirectory Load(string runDir, bool partial = false)
    {
        if (!Directory.Exists(runDir)) throw new InputException($"{runDir}: run directory not found");
        var manifestPath = System.IO.Path.Combine(runDir, ManifestFile);
        var manifest = RunManifestFile.Read(manifestPath);
        var parquet = System.IO.Path.Combine(runDir, ParquetFile);
        var csv = System.IO.Path.Combine(runDir, CsvFile);
        string trajectoryPath;
        Trajectory trajectory;
        if (File.Exists(parquet)) (trajectoryPath, trajectory) = (parquet, TrajectoryParquet.ReadTrajectory(parquet));
        else if (File.Exists(csv)) (trajectoryPath, trajectory) = (csv, TrajectoryCsv.ReadTrajectory(csv));
        else throw new InputException($"{runDir}: neither {CsvFile} nor {ParquetFile} found; a run directory needs its trajectory");
        if (manifest.Status != "complete" && !partial)
            throw new InputException($"{runDir}: the run is {manifest.Status}{(manifest.StatusMessage is { } why ? $" ({why})" : "")}, not complete; "
                                     + "finish it with harness run --resume, or analyse what it has with --partial");
        Validate(manifestPath, manifest, trajectoryPath, trajectory);
        ValidateRows(manifest, trajectoryPath, trajectory);
        return new RunDirectory(runDir, manifest, trajectory, trajectoryPath);
    }

    /// <summary>
    /// Every probe has a row at every logged step; every item has the same probes at every depth the manifest names;
    /// the log starts at step 0 and, for a complete run, ends at its last update.
    /// </summary>
    public static void ValidateRows(RunManifest manifest, string trajectoryPath, Trajectory trajectory)
    {
        if (trajectory.Steps[0] != 0)
            throw new InputException($"{trajectoryPath}: the log starts at step {trajectory.Steps[0]}; it must hold step 0, the values before training");
        if (manifest.Status == "complete" && trajectory.Steps[^1] != manifest.Steps)
            throw new InputException($"{trajectoryPath}: the last logged step is {trajectory.Steps[^1]} but the run is complete at {manifest.Steps} updates; the trajectory is cut short");
        for (int p = 0; p < trajectory.Probes.Length; p++)
        {
            var row = trajectory.Row(p);
            for (int j = 0; j < row.Length; j++)
                if (double.IsNaN(row[j]))
                {
                    var k = trajectory.Probes[p];
                    throw new InputException($"{trajectoryPath}: no row for step {trajectory.Steps[j]}, item '{k.Item}', {k.Depth.Name()} probe {k.Probe}; every probe is logged at every logged step");
                }
        }
        var probesPerDepth = trajectory.Probes.GroupBy(k => k.Depth).ToDictionary(g => g.Key, g => g.Max(k => k.Probe) + 1);
        foreach (var name in manifest.Depths)
            if (!DepthNames.TryParse(name, out var d) || !probesPerDepth.ContainsKey(d))
                throw new InputException($"{trajectoryPath}: the manifest's depth '{name}' has no rows");
        foreach (var item in trajectory.Probes.GroupBy(k => k.Item))
            foreach (var (depth, count) in probesPerDepth)
            {
                int has = item.Count(k => k.Depth == depth);
                if (has != count)
                    throw new InputException($"{trajectoryPath}: item '{item.Key}' has {has} {depth.Name()} probes where other items have {count}; a probe's rows are missing");
            }
    }

    /// <summary>Every manifest item must have rows, with the manifest's group; every injected item must be a manifest item.</summary>
    public static void Validate(string manifestPath, RunManifest manifest, string trajectoryPath, Trajectory trajectory)
    {
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in trajectory.Probes) groupOf.TryAdd(p.Item, p.Group);
        var items = new Dictionary<string, ManifestItem>(StringComparer.Ordinal);
        foreach (var it in manifest.Items)
        {
            if (!items.TryAdd(it.Item, it)) throw new InputException($"{manifestPath}: item '{it.Item}' is listed twice in items");
            if (!groupOf.TryGetValue(it.Item, out var g))
                throw new InputException($"{trajectoryPath}: item '{it.Item}' (group '{it.Group}') is in {ManifestFile} but has no rows; was the trajectory cut short or written for another run?");
            if (g != it.Group)
                throw new InputException($"{trajectoryPath}: item '{it.Item}' has group '{g}' but {ManifestFile} says '{it.Group}'");
        }
        if (manifest.Items.Count > 0)
            foreach (var (item, g) in groupOf)
                if (!items.ContainsKey(item))
                    throw new InputException($"{trajectoryPath}: item '{item}' (group '{g}') has rows but is not in the items of {ManifestFile}");
        foreach (var inj in manifest.Injections)
        {
            if (manifest.Items.Count > 0)
            {
                if (!items.TryGetValue(inj.Item, out var it))
                    throw new InputException($"{manifestPath}: injection of '{inj.Item}' at step {inj.Step} names an item missing from items");
                if (it.Control) throw new InputException($"{manifestPath}: control item '{inj.Item}' is injected at step {inj.Step}; control items are never injected");
                if (it.Group != inj.Group) throw new InputException($"{manifestPath}: injection of '{inj.Item}' at step {inj.Step} says group '{inj.Group}' but items say '{it.Group}'");
            }
            else if (!groupOf.ContainsKey(inj.Item))
                throw new InputException($"{trajectoryPath}: injected item '{inj.Item}' (step {inj.Step}) has no rows");
            if (inj.Step < 0) throw new InputException($"{manifestPath}: injection of '{inj.Item}' at negative step {inj.Step}");
        }
        var a = manifest.Analysis;
        if (a.LamWindow < 1) throw new InputException($"{manifestPath}: analysis.lam_window must be at least 1 (got {a.LamWindow})");
        if (!(a.IqrMultiplier >= 0)) throw new InputException($"{manifestPath}: analysis.iqr_multiplier must be ≥ 0 (got {a.IqrMultiplier})");
        if (a.FitTo != 0 && a.FitTo < Math.Max(1, a.FitFrom))
            throw new InputException($"{manifestPath}: analysis.fit_to ({a.FitTo}) must be 0 (to the end) or ≥ fit_from ({a.FitFrom})");
    }
}

using System.Globalization;

namespace Harness.Runs;

/// <summary>
/// How far a run directory got, read from its own files while it may still be written: the manifest's status
/// (running, stopped, complete, failed; "not started" without a manifest), its update count, and the last update that
/// <c>training.csv</c> logged (written at each checkpoint and at the end) with its loss.
/// </summary>
public sealed record RunState(string Status, int Steps, int? LastUpdate, double? Loss)
{
    public const string NotStarted = "not started";

    public static RunState Read(string runDir)
    {
        var manifestPath = Path.Combine(runDir, RunDirectory.ManifestFile);
        if (!File.Exists(manifestPath)) return new RunState(NotStarted, 0, null, null);
        var manifest = RunManifestFile.Read(manifestPath);
        var (update, loss) = LastTrainingRow(Path.Combine(runDir, "training.csv"));
        return new RunState(manifest.Status, manifest.Steps, update, loss);
    }

    /// <summary>"update 24 of 60, loss 3.214", or "no update logged yet".</summary>
    public string Describe() => LastUpdate is { } u
        ? string.Create(CultureInfo.InvariantCulture, $"update {u} of {Steps}, loss {Loss:F3}")
        : "no update logged yet";

    /// <summary>The number of training updates done after the last <c>train</c> row (its 0-based step + 1), and its loss.</summary>
    static (int?, double?) LastTrainingRow(string path)
    {
        if (!File.Exists(path)) return (null, null);
        foreach (var line in File.ReadLines(path).Reverse())
        {
            var f = line.Split(',');
            if (f.Length >= 3 && f[0] == "train"
                && int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                && double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var loss))
                return (step + 1, loss);
        }
        return (null, null);
    }
}

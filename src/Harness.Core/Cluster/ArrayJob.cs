using System.Text.RegularExpressions;

namespace Harness.Cluster;

/// <summary>One matrix cell as array task <see cref="Index"/>: its scenario name (<c>harness run --cell</c>), its run directory and a file-name label.</summary>
public sealed record ArrayCell(int Index, string Name, string Directory, string Label);

/// <summary>
/// Everything the two batch scripts of <c>harness submit</c> need: the harness command the researcher ran, the
/// scenario and output root (absolute, since the job runs elsewhere), the cells in array order and the resources.
/// </summary>
public sealed partial record ArrayJob(string ScenarioName, IReadOnlyList<string> Harness, string Scenario, string Root,
    IReadOnlyList<ArrayCell> Cells, bool Matrix, ClusterSpec Resources)
{
    /// <summary>Where scripts, logs, locks and jobs.json live: <c>&lt;root&gt;/slurm</c>.</summary>
    public string Folder => Path.Combine(Root, "slurm");
    public string CellsScript => Path.Combine(Folder, "cells.sbatch");
    public string CheckScript => Path.Combine(Folder, "check.sbatch");
    /// <summary>The verdicts of <c>harness check</c>, written by the check job.</summary>
    public string Verdicts => VerdictsOf(Root);

    public static string VerdictsOf(string root) => Path.Combine(root, "verdicts.txt");

    /// <summary>A Slurm job name made of letters, digits and <c>._-</c> only (squeue columns and #SBATCH lines stay whole).</summary>
    public string JobName => "harness-" + Unsafe().Replace(ScenarioName, "_");

    /// <summary>The log of array task <paramref name="index"/> of job <paramref name="arrayJob"/>; a requeued task appends to it.</summary>
    public static string LogOf(string root, string arrayJob, int index) => Path.Combine(root, "slurm", $"{arrayJob}_{index}.log");

    public static string CheckLogOf(string root, string checkJob) => Path.Combine(root, "slurm", $"check-{checkJob}.log");

    /// <summary>
    /// The cells in array order, each labelled for file names by its folder name (for a scenario without matrix, the
    /// scenario's name) with unsafe characters replaced; a label that would then repeat gets its index appended.
    /// </summary>
    public static IReadOnlyList<ArrayCell> Number(IReadOnlyList<(string Name, string Directory, string Folder)> cells, string scenarioName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return cells.Select((c, i) =>
        {
            var label = Unsafe().Replace(c.Folder.Length > 0 ? c.Folder : scenarioName, "_");
            return new ArrayCell(i, c.Name, c.Directory, seen.Add(label) ? label : $"{label}-{i}");
        }).ToList();
    }

    [GeneratedRegex(@"[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}

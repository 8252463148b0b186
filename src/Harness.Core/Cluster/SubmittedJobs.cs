using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Cluster;

/// <summary>One <c>harness submit</c>: the array job of the cells, the check job after it, and which task is which cell.</summary>
public sealed record Submission(DateTimeOffset Submitted, string Scenario, string ArrayJob, string CheckJob, IReadOnlyList<ArrayCell> Cells)
{
    /// <summary>Slurm's id of the cell's array task, <c>&lt;array job&gt;_&lt;index&gt;</c>.</summary>
    public string TaskId(ArrayCell cell) => $"{ArrayJob}_{cell.Index}";
}

/// <summary>
/// <c>&lt;root&gt;/slurm/jobs.json</c>: every submission from an output root, oldest first, so that <c>harness status</c>
/// finds the jobs without asking the user for ids and <c>harness submit</c> can refuse to start a second array over
/// cells that are still queued.
/// </summary>
public static class SubmittedJobs
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    sealed record JobsFile(IReadOnlyList<Submission> Submissions);

    public static string PathOf(string root) => Path.Combine(root, "slurm", "jobs.json");

    /// <summary>The submissions from <paramref name="root"/>, oldest first; empty when nothing was submitted from there.</summary>
    public static IReadOnlyList<Submission> Read(string root)
    {
        var path = PathOf(root);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<JobsFile>(File.ReadAllText(path), Json)?.Submissions
                   ?? throw new InputException($"{path}: empty; delete it if no jobs of this root are queued");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:{(e.LineNumber ?? 0) + 1}: not a jobs file harness submit wrote ({e.Message}); delete it if no jobs of this root are queued");
        }
    }

    public static void Append(string root, Submission submission) =>
        AtomicFile.WriteText(PathOf(root), JsonSerializer.Serialize(new JobsFile([.. Read(root), submission]), Json) + "\n");
}

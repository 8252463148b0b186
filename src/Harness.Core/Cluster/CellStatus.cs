using Harness.Runs;

namespace Harness.Cluster;

/// <summary>
/// One cell in <c>harness status</c>: its array task, the task's state as Slurm reports it (null once Slurm has
/// forgotten the job and no accounting remembers it), how far its run directory got, and the task's log.
/// </summary>
public sealed record CellStatus(ArrayCell Cell, string TaskId, SlurmJobState? Slurm, RunState Run, string Log)
{
    /// <summary>Each cell of <paramref name="submission"/> with the state that <paramref name="slurm"/> (squeue, then sacct) gives its task.</summary>
    public static IReadOnlyList<CellStatus> Of(string root, Submission submission, IReadOnlyDictionary<string, SlurmJobState> slurm) =>
        submission.Cells.Select(c =>
        {
            var task = submission.TaskId(c);
            return new CellStatus(c, task, slurm.GetValueOrDefault(task), RunState.Read(c.Directory), ArrayJob.LogOf(root, submission.ArrayJob, c.Index));
        }).ToList();

    /// <summary>"RUNNING", "PENDING (BeginTime)", "FAILED (3:0)", or "unknown to Slurm" when neither squeue nor sacct knows the task.</summary>
    public string SlurmState => Slurm is null ? "unknown to Slurm"
        : Slurm.Detail is "" or "None" or "(null)" or "0:0" ? Slurm.State
        : $"{Slurm.State} ({Slurm.Detail})";
}

namespace Harness.Cluster;

/// <summary>
/// The <c>cluster:</c> section of a scenario: what each array task of <c>harness submit</c> asks the scheduler for.
/// Unset values (null) leave the choice to the cluster's defaults, or to the scenario (CPUs from
/// <c>runtime.threads</c>, one GPU when <c>runtime.device</c> is cuda). One job array holds every cell, so the whole
/// matrix shares these resources.
/// </summary>
public sealed record ClusterSpec
{
    /// <summary>Slurm partition (<c>--partition</c>); null: the cluster's default partition.</summary>
    public string? Partition { get; init; }
    /// <summary>Account charged (<c>--account</c>); null: the user's default account.</summary>
    public string? Account { get; init; }
    /// <summary>GPUs per cell (<c>--gpus</c>); null: 1 when a cell runs on cuda, else 0.</summary>
    public int? Gpus { get; init; }
    /// <summary>CPUs per cell (<c>--cpus-per-task</c>); null: the largest <c>runtime.threads</c> of the cells.</summary>
    public int? Cpus { get; init; }
    /// <summary>Memory per cell as <c>--mem</c> takes it (16G); null: the partition's default.</summary>
    public string? Memory { get; init; }
    /// <summary>Time limit per cell as <c>--time</c> takes it (1-00:00:00); null: the partition's default.</summary>
    public string? TimeLimit { get; init; }
    /// <summary>
    /// Seconds before the time limit at which the cell is told to save a checkpoint and stop (<c>--signal=B:USR1@N</c>);
    /// the task then requeues itself and resumes there.
    /// </summary>
    public int CheckpointGrace { get; init; } = 300;
    /// <summary>Most cells running at once (the array's <c>%N</c>); 0: no limit of its own.</summary>
    public int MaxRunning { get; init; }
    /// <summary>Further <c>#SBATCH</c> options, one each (<c>--qos=high</c>, <c>--constraint=a100</c>).</summary>
    public IReadOnlyList<string> Sbatch { get; init; } = [];

    /// <summary>Slurm sends a job's warning signal at most this many seconds before its end (the field is 16 bits).</summary>
    public const int MaxGrace = 65535;

    /// <summary>CPUs and GPUs filled in from the cells when the spec leaves them open.</summary>
    public ClusterSpec ForCells(int threads, bool cuda) => this with { Cpus = Cpus ?? threads, Gpus = Gpus ?? (cuda ? 1 : 0) };

    /// <summary>Null when the grace fits inside the time limit, else what is wrong (the run would be told to stop as it starts).</summary>
    public string? GraceProblem()
    {
        if (TimeLimit is null || Cluster.TimeLimit.Parse(TimeLimit, out _) is not { Seconds: { } limit }) return null;
        return CheckpointGrace < limit ? null
            : $"checkpoint_grace {CheckpointGrace} s is not shorter than the time limit {TimeLimit} ({limit} s), so every cell would be told to stop at its start";
    }
}

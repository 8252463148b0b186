using System.ComponentModel;
using Harness.Cluster;
using Harness.Scenarios;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness submit &lt;scenario&gt; --scheduler slurm</c>: one Slurm job array with a task per matrix cell, and a job
/// after it that runs <c>harness check</c> and <c>harness report</c>. Resources come from the scenario's
/// <c>cluster:</c> section, overridden by flags; <c>--dry-run</c> prints the scripts instead.
/// </summary>
internal sealed class SubmitCommand : Command<SubmitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<scenario>")]
        [Description("Scenario YAML file")]
        public string Scenario { get; init; } = "";

        [CommandOption("--scheduler <NAME>")]
        [Description("The cluster scheduler: slurm")]
        public string Scheduler { get; init; } = "slurm";

        [CommandOption("-o|--out <DIR>")]
        [Description("Output root on storage every node sees (default: runs/<scenario name>); the cells' run directories, logs and jobs go there")]
        public string? Out { get; init; }

        [CommandOption("--partition <NAME>")]
        [Description("Overrides cluster.partition")]
        public string? Partition { get; init; }

        [CommandOption("--account <NAME>")]
        [Description("Overrides cluster.account")]
        public string? Account { get; init; }

        [CommandOption("--gpus <N>")]
        [Description("Overrides cluster.gpus: GPUs per cell")]
        public int? Gpus { get; init; }

        [CommandOption("--cpus <N>")]
        [Description("Overrides cluster.cpus: CPUs per cell")]
        public int? Cpus { get; init; }

        [CommandOption("--memory <SIZE>")]
        [Description("Overrides cluster.memory: memory per cell as sbatch --mem takes it (16G)")]
        public string? Memory { get; init; }

        [CommandOption("--time-limit <TIME>")]
        [Description("Overrides cluster.time_limit: as sbatch --time takes it (2:00:00, 1-00:00:00)")]
        public string? TimeLimit { get; init; }

        [CommandOption("--checkpoint-grace <SECONDS>")]
        [Description("Overrides cluster.checkpoint_grace: seconds before the time limit at which a cell checkpoints and requeues")]
        public int? CheckpointGrace { get; init; }

        [CommandOption("--max-running <N>")]
        [Description("Overrides cluster.max_running: most cells running at once (0: no limit)")]
        public int? MaxRunning { get; init; }

        [CommandOption("--sbatch <OPTION>")]
        [Description("Adds an #SBATCH option to cluster.sbatch, e.g. --sbatch=--qos=high (repeatable)")]
        public string[] Sbatch { get; init; } = [];

        [CommandOption("--dry-run")]
        [Description("Print the scripts and the sbatch commands; write and submit nothing")]
        public bool DryRun { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        if (settings.Scheduler != "slurm")
            throw new InputException($"--scheduler {settings.Scheduler}: unknown scheduler; the one harness submits to is slurm");
        var cells = ScenarioLoader.Load(settings.Scenario);
        var root = Path.GetFullPath(settings.Out ?? Path.Combine("runs", cells[0].Name.Split('[')[0]));
        if (root.IndexOfAny(['"', '\n', '\r']) >= 0)
            throw new InputException($"--out {root}: a double quote or line break cannot stand in an #SBATCH line; choose another folder");
        var matrix = cells[0].Cell.Count > 0;
        var job = new ArrayJob(cells[0].Name.Split('[')[0], HarnessCommand(), Path.GetFullPath(settings.Scenario), root,
            ArrayJob.Number(cells.Select(s => (s.Name, RunSummary.DirectoryFor(s, root, matrix), s.CellFolder)).ToList(), cells[0].Name),
            matrix, Resources(cells, settings));
        var cellsScript = SbatchScript.ForCells(job);
        var checkScript = SbatchScript.ForCheck(job);
        if (settings.DryRun)
        {
            Console.Out.Write($"""
                # harness submit --dry-run: nothing written, nothing submitted. Without --dry-run harness submit writes the two
                # scripts below and runs:
                #   sbatch --parsable {job.CellsScript}
                #   sbatch --parsable --dependency=afterany:<array job id> {job.CheckScript}
                # ---- {job.CellsScript}
                {cellsScript}
                # ---- {job.CheckScript}
                {checkScript}
                """);
            return 0;
        }

        RefuseWhileQueued(root);
        Directory.CreateDirectory(job.Folder);
        AtomicFile.WriteText(job.CellsScript, cellsScript);
        AtomicFile.WriteText(job.CheckScript, checkScript);
        var array = JobId(SlurmProgram.Run("sbatch", ["--parsable", job.CellsScript]), "the cells' array");
        var check = SlurmProgram.Run("sbatch", ["--parsable", $"--dependency=afterany:{array}", job.CheckScript]);
        var checkId = check.ExitCode == 0 ? JobId(check, "the check job") : "";
        SubmittedJobs.Append(root, new Submission(DateTimeOffset.Now, job.Scenario, array, checkId, job.Cells));
        if (checkId.Length == 0)
            throw new InputException($"the cells were submitted as array job {array}, but sbatch refused the check job: {check.FirstLine}. "
                + $"Submit it yourself: sbatch --dependency=afterany:{array} {job.CheckScript}");

        // Plain lines: a researcher copies ids and paths from them, and the console would wrap them at 80 columns in a log.
        Console.Out.WriteLine($"submitted {job.ScenarioName}: array job {array}, {job.Cells.Count} cell(s) as tasks {array}_0..{array}_{job.Cells.Count - 1}; check job {checkId} after it");
        Console.Out.WriteLine($"  scripts   {job.CellsScript}, {Path.GetFileName(job.CheckScript)}");
        Console.Out.WriteLine($"  logs      {ArrayJob.LogOf(root, array, 0)} ... (<cell label>.log links to each)");
        Console.Out.WriteLine($"  status    harness status {root}");
        Console.Out.WriteLine($"  verdicts  {job.Verdicts} once job {checkId} has run");
        return 0;
    }

    /// <summary>The command that runs this harness again on a compute node: the apphost, or dotnet with this assembly.</summary>
    static IReadOnlyList<string> HarnessCommand()
    {
        var process = Environment.ProcessPath ?? throw new InputException("cannot tell where this harness is installed (no process path)");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(SubmitCommand).Assembly.Location] : [process];
    }

    /// <summary>The scenario's <c>cluster:</c> section with the flags laid over it, then CPUs and GPUs from the cells where still open.</summary>
    static ClusterSpec Resources(IReadOnlyList<Scenario> cells, Settings f)
    {
        string? Word(string flag, string? value)
        {
            if (value is null) return null;
            return SbatchOptions.ValueProblem(value) is { } problem ? throw new InputException($"{flag} {problem}; give one word") : value;
        }
        int? AtLeast(string flag, int? value, int min, int max = int.MaxValue) =>
            value is null || (value >= min && value <= max) ? value
                : throw new InputException($"{flag} {value} is out of range; give a whole number from {min}{(max < int.MaxValue ? $" to {max}" : " up")}");
        if (f.Memory is { } memory && MemorySize.Problem(memory) is { } badMemory) throw new InputException($"--memory {badMemory}; write {MemorySize.Forms}");
        if (f.TimeLimit is { } time && TimeLimit.Parse(time, out var badTime) is null) throw new InputException($"--time-limit {badTime}; write {TimeLimit.Forms}");
        foreach (var option in f.Sbatch)
            if (SbatchOptions.ExtraProblem(option) is { } problem) throw new InputException($"--sbatch {problem}");

        var spec = cells[0].Cluster;
        spec = spec with
        {
            Partition = Word("--partition", f.Partition) ?? spec.Partition,
            Account = Word("--account", f.Account) ?? spec.Account,
            Gpus = AtLeast("--gpus", f.Gpus, 0) ?? spec.Gpus,
            Cpus = AtLeast("--cpus", f.Cpus, 1) ?? spec.Cpus,
            Memory = f.Memory ?? spec.Memory,
            TimeLimit = f.TimeLimit ?? spec.TimeLimit,
            CheckpointGrace = AtLeast("--checkpoint-grace", f.CheckpointGrace, 1, ClusterSpec.MaxGrace) ?? spec.CheckpointGrace,
            MaxRunning = AtLeast("--max-running", f.MaxRunning, 0) ?? spec.MaxRunning,
            Sbatch = [.. spec.Sbatch, .. f.Sbatch],
        };
        if (spec.GraceProblem() is { } grace)
            throw new InputException($"{grace}; lower --checkpoint-grace (cluster.checkpoint_grace) or raise --time-limit (cluster.time_limit)");
        return spec.ForCells(cells.Max(c => c.Runtime.Threads), cells.Any(c => c.Runtime.Device == "cuda"));
    }

    /// <summary>A second array over the same run directories while the first still runs would run cells twice at once.</summary>
    static void RefuseWhileQueued(string root)
    {
        if (SubmittedJobs.Read(root) is not [.., var last]) return;
        var ids = string.Join(",", new[] { last.ArrayJob, last.CheckJob }.Where(id => id.Length > 0));
        var queue = SlurmProgram.Run("squeue", [.. SlurmJobState.SqueueArguments, $"--jobs={ids}"]);
        if (queue.ExitCode != 0) return; // Slurm has forgotten both jobs ("Invalid job id"): nothing of them runs
        var active = SlurmJobState.FromSqueue(queue.Out).Values.Where(j => !j.HasEnded).ToList();
        if (active.Count > 0)
            throw new InputException($"{root}: jobs of the last submission are still queued or running ({string.Join(", ", active.Select(j => $"{j.JobId} {j.State}"))}); "
                + $"wait for them (harness status {root}) or cancel them (scancel {ids.Replace(',', ' ')}), then submit again");
    }

    static string JobId(SlurmOutput sbatch, string what)
    {
        var id = sbatch.Out.Trim().Split(';')[0];
        if (sbatch.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new InputException($"sbatch refused {what}: {sbatch.FirstLine}");
        return id;
    }
}

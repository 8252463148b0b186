using System.Globalization;
using System.Text;

namespace Harness.Cluster;

/// <summary>
/// The text of the two batch scripts of <c>harness submit</c>: the array (one task per cell) and the check job that
/// runs once every task has ended. Everything a task needs is written into its script, so a job runs the same whether
/// it starts now, after a requeue, or on another node.
/// </summary>
public static class SbatchScript
{
    /// <summary>The signal Slurm sends the batch shell <see cref="ClusterSpec.CheckpointGrace"/> seconds before the time limit.</summary>
    public const string TimeLimitSignal = "USR1";

    /// <summary>The array script: maps <c>SLURM_ARRAY_TASK_ID</c> to a cell, skips a complete one, resumes a stopped one.</summary>
    public static string ForCells(ArrayJob job)
    {
        var r = job.Resources;
        var last = job.Cells.Count - 1;
        var text = new StringBuilder();
        text.Append($"""
            #!/bin/bash
            # Written by `harness submit` for {OneLine(job.Scenario)}: one array task per matrix cell. Task i runs
            # `harness run <scenario> --cell <name of cell i> --out <root>`; it skips a cell whose manifest.json says
            # complete, resumes a stopped one (from its checkpoint/), and at the time-limit warning checkpoints and requeues.
            #SBATCH --job-name={job.JobName}
            #SBATCH --array=0-{last}{(r.MaxRunning > 0 ? $"%{r.MaxRunning}" : "")}
            #SBATCH --output={SbatchPath(Path.Combine(job.Folder, "%A_%a.log"))}
            #SBATCH --open-mode=append
            #SBATCH --requeue
            #SBATCH --signal=B:{TimeLimitSignal}@{r.CheckpointGrace}

            """);
        Resources(text, r, withDevices: true);
        text.Append('\n');
        Common(text, job);
        text.Append($$"""
            # Cell i of the array: its name (harness run --cell) and its label in file names; dirs[i] is its run directory.
            names=(
            {{Lines(job.Cells.Select(c => c.Name))}}
            )
            labels=(
            {{Lines(job.Cells.Select(c => c.Label))}}
            )

            i=${SLURM_ARRAY_TASK_ID:?run this script with sbatch; it is an array task}
            name=${names[$i]}
            dir=${dirs[$i]}
            label=${labels[$i]}
            ln -sfn "${SLURM_ARRAY_JOB_ID}_${i}.log" "$root/slurm/$label.log"
            echo "harness: cell $name, task $i of array job $SLURM_ARRAY_JOB_ID (job $SLURM_JOB_ID, attempt $((${SLURM_RESTART_COUNT:-0} + 1))) on $(hostname) at $(date '+%F %T')"

            if grep -qs '"status": "complete"' "$dir/manifest.json"; then
              echo "harness: $dir is complete; nothing to run"
              exit 0
            fi
            # A manifest is a run's first write: with one, --resume continues the run from its checkpoint/, or from the
            # start when it stopped before saving one; without one, nothing of a run is there and it starts afresh.
            # The run's own lock (.harness.lock) keeps a second process out of the directory.
            checkpoint_step() { sed -n 's/.*"step": *\([0-9]*\).*/\1/p' "$dir/checkpoint/state.json" 2>/dev/null; }
            start=
            before=$(checkpoint_step)
            if [ -f "$dir/manifest.json" ]; then
              start=--resume
              if [ -n "$before" ]; then echo "harness: resuming $dir from its checkpoint at update $before"
              else echo "harness: resuming $dir from the start (it stopped before saving a checkpoint)"; fi
            fi

            # The run is a job step (srun) in the background, which keeps this shell free to take signals. Whatever
            # signals the job's steps (scancel --signal=TERM, a cancel, a requeue, a preemption) reaches harness, which
            # saves a checkpoint and exits 3; what reaches this shell only (scancel --batch, the time-limit warning
            # {{TimeLimitSignal}}) it passes on to the step, waiting for scancel so that no retry of it reaches a requeued run.
            # The step's exit code goes through a file: bash may lose the status of a child reaped during a trap.
            time_limit=
            pass_on() { timeout 10 scancel --signal=TERM "$SLURM_JOB_ID" >/dev/null 2>&1; }
            trap 'time_limit=1; pass_on' {{TimeLimitSignal}}
            trap pass_on TERM INT
            exit_code="$root/slurm/.$label.exit"
            rm -f "$exit_code"
            (
              trap '' TERM INT # a cancel signals every process here; this one must outlive the step to record its end
              srun --ntasks=1 --cpus-per-task="${SLURM_CPUS_PER_TASK:-1}" "${harness[@]}" run "$scenario" --out "$root"{{(job.Matrix ? " --cell \"$name\"" : "")}} $start
              echo "$?" >"$exit_code"
            ) &
            step=$!
            while kill -0 "$step" 2>/dev/null; do
              wait "$step"
            done
            rc=$(cat "$exit_code" 2>/dev/null)
            rc=${rc:-1}
            echo "harness: exit $rc at $(date '+%F %T')"

            # Stopped for the time limit with progress saved: requeue this task (same job id and log) to resume there.
            after=$(checkpoint_step)
            if [ -n "$time_limit" ] && [ "$rc" -eq 3 ] && [ -n "$after" ] && [ "$after" != "$before" ]; then
              echo "harness: checkpoint at update $after before the time limit; requeueing ${SLURM_ARRAY_JOB_ID}_${i}"
              scontrol requeue "${SLURM_ARRAY_JOB_ID}_${i}"
            fi
            exit "$rc"

            """);
        return text.ToString();
    }

    /// <summary>
    /// The check job, submitted with <c>--dependency=afterany:&lt;array job&gt;</c>: when every cell is complete it writes
    /// <c>harness check</c>'s verdicts to <see cref="ArrayJob.Verdicts"/> and the cells side by side to report/.
    /// </summary>
    public static string ForCheck(ArrayJob job)
    {
        var text = new StringBuilder();
        text.Append($"""
            #!/bin/bash
            # Written by `harness submit` for {OneLine(job.Scenario)}: runs after every task of the cells' array has ended
            # (sbatch --dependency=afterany:<array job>), decides the expect block and sets the cells side by side.
            #SBATCH --job-name={job.JobName}-check
            #SBATCH --output={SbatchPath(Path.Combine(job.Folder, "check-%j.log"))}

            """);
        Resources(text, job.Resources with { Gpus = 0, Cpus = 1, Memory = null, TimeLimit = null }, withDevices: false);
        text.Append('\n');
        Common(text, job);
        text.Append($$"""
            verdicts={{ShellWord.Quote(job.Verdicts)}}

            incomplete=0
            for dir in "${dirs[@]}"; do
              if ! grep -qs '"status": "complete"' "$dir/manifest.json"; then
                echo "not complete: $dir"
                incomplete=1
              fi
            done
            if [ "$incomplete" -eq 1 ]; then
              echo "not decided: some cells did not complete (harness status $root); resubmit with harness submit to finish them" | tee "$verdicts"
              exit 1
            fi

            "${harness[@]}" check "$scenario" --out "$root" >"$verdicts.tmp"
            rc=$?
            mv -f "$verdicts.tmp" "$verdicts"
            cat "$verdicts"
            "${harness[@]}" report "${dirs[@]}" --out "$root/report"
            report=$?
            [ "$rc" -eq 0 ] && rc=$report
            exit "$rc"

            """);
        return text.ToString();
    }

    /// <summary>The harness command, scenario, root and run directories, as the first lines of both scripts.</summary>
    static void Common(StringBuilder text, ArrayJob job) => text.Append($"""
        harness=({string.Join(' ', job.Harness.Select(ShellWord.Quote))})
        scenario={ShellWord.Quote(job.Scenario)}
        root={ShellWord.Quote(job.Root)}
        dirs=(
        {Lines(job.Cells.Select(c => c.Directory))}
        )

        """);

    static void Resources(StringBuilder text, ClusterSpec r, bool withDevices)
    {
        void Line(string option) => text.Append("#SBATCH ").Append(option).Append('\n');
        if (r.Partition is { } p) Line($"--partition={p}");
        if (r.Account is { } a) Line($"--account={a}");
        if (r.Cpus is { } c) Line($"--cpus-per-task={c.ToString(CultureInfo.InvariantCulture)}");
        if (withDevices && r.Gpus is > 0 and var g) Line($"--gpus={g.ToString(CultureInfo.InvariantCulture)}");
        if (r.Memory is { } m) Line($"--mem={m}");
        if (r.TimeLimit is { } t) Line($"--time={t}");
        foreach (var extra in r.Sbatch) Line(extra);
    }

    static string Lines(IEnumerable<string> words) => string.Join('\n', words.Select(w => "  " + ShellWord.Quote(w)));

    /// <summary>A path in an #SBATCH line: double-quoted (sbatch reads quotes there), % doubled so Slurm keeps it literal.</summary>
    static string SbatchPath(string path)
    {
        var dir = Path.GetDirectoryName(path)!.Replace("%", "%%", StringComparison.Ordinal);
        return $"\"{Path.Combine(dir, Path.GetFileName(path))}\"";
    }

    static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}

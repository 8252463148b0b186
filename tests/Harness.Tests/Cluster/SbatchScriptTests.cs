using System.Diagnostics;
using Harness.Cluster;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary>
/// The text of the two batch scripts for a given job, and the cell script's own logic (which cell a task is, skip,
/// resume, the time-limit requeue) run by bash with stand-ins for srun, scontrol and harness: no scheduler involved,
/// that is the Slurm tests' part.
/// </summary>
public class SbatchScriptTests
{
    string dir = null!;

    [SetUp] public void SetUp() => dir = Directory.CreateTempSubdirectory("sbatch-script-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(dir, recursive: true);

    ArrayJob Job(ClusterSpec? resources = null, IReadOnlyList<string>? harness = null)
    {
        var root = Path.Combine(dir, "root");
        var cells = ArrayJob.Number([
            ("tiny[seed=1,note=it's]", Path.Combine(root, "note-it's_seed-1"), "note-it's_seed-1"),
            ("tiny[seed=2,note=plain]", Path.Combine(root, "note-plain_seed-2"), "note-plain_seed-2"),
            ("tiny[seed=3,note=a b]", Path.Combine(root, "note-a b_seed-3"), "note-a b_seed-3"),
        ], "tiny");
        return new ArrayJob("tiny", harness ?? ["/opt/dotnet/dotnet", "/opt/harness/Harness.Cli.dll"], Path.Combine(dir, "tiny.yaml"), root, cells, true,
            resources ?? new ClusterSpec { Partition = "gpu", Account = "proj42", Cpus = 4, Gpus = 1, Memory = "16G", TimeLimit = "1-00:00:00", MaxRunning = 2, Sbatch = ["--qos=high"] });
    }

    static IReadOnlyList<string> Directives(string script) =>
        script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l["#SBATCH ".Length..]).ToList();

    [Test]
    public void The_cell_script_asks_for_one_task_per_cell_with_the_resources_and_a_resumable_log()
    {
        var job = Job();
        Assert.That(Directives(SbatchScript.ForCells(job)), Is.EqualTo(new[]
        {
            "--job-name=harness-tiny",
            "--array=0-2%2",
            $"--output=\"{job.Root}/slurm/%A_%a.log\"",
            "--open-mode=append",
            "--requeue",
            "--signal=B:USR1@300",
            "--partition=gpu",
            "--account=proj42",
            "--cpus-per-task=4",
            "--gpus=1",
            "--mem=16G",
            "--time=1-00:00:00",
            "--qos=high",
        }));
    }

    [Test]
    public void Open_resources_write_no_line_and_the_check_job_asks_for_one_cpu_and_no_gpu()
    {
        var job = Job(new ClusterSpec { Cpus = 2, Gpus = 0, CheckpointGrace = 120 });
        var cells = Directives(SbatchScript.ForCells(job));
        Assert.That(cells, Does.Contain("--signal=B:USR1@120").And.Contain("--cpus-per-task=2").And.Contain("--array=0-2"));
        Assert.That(cells, Has.None.StartsWith("--gpus").And.None.StartsWith("--partition").And.None.StartsWith("--mem").And.None.StartsWith("--time"));
        var check = Directives(SbatchScript.ForCheck(Job()));
        Assert.That(check, Is.EqualTo(new[]
        {
            "--job-name=harness-tiny-check",
            $"--output=\"{job.Root}/slurm/check-%j.log\"",
            "--partition=gpu",
            "--account=proj42",
            "--cpus-per-task=1",
            "--qos=high",
        }));
    }

    [Test]
    public void Scripts_name_the_harness_scenario_and_cells_as_quoted_bash_words()
    {
        var job = Job();
        var script = SbatchScript.ForCells(job);
        Assert.That(script, Does.Contain("harness=('/opt/dotnet/dotnet' '/opt/harness/Harness.Cli.dll')"));
        Assert.That(script, Does.Contain($"scenario='{dir}/tiny.yaml'"));
        Assert.That(script, Does.Contain(@"  'tiny[seed=1,note=it'\''s]'"));
        Assert.That(script, Does.Contain("  srun --ntasks=1 --cpus-per-task=\"${SLURM_CPUS_PER_TASK:-1}\" \"${harness[@]}\" run \"$scenario\" --out \"$root\" --cell \"$name\" $start\n"));
        Assert.That(job.Cells.Select(c => c.Label), Is.EqualTo(new[] { "note-it_s_seed-1", "note-plain_seed-2", "note-a_b_seed-3" }));
        foreach (var text in new[] { script, SbatchScript.ForCheck(job) })
            Assert.That(Bash(["-n"], text, new Dictionary<string, string>()).Code, Is.EqualTo(0), "bash -n accepts the script");
    }

    [Test]
    public void Labels_that_would_repeat_once_made_safe_get_their_index()
    {
        var cells = ArrayJob.Number([("s[a=x y]", "/r/a-x y", "a-x y"), ("s[a=x_y]", "/r/a-x_y", "a-x_y")], "s");
        Assert.That(cells.Select(c => c.Label), Is.EqualTo(new[] { "a-x_y", "a-x_y-1" }));
        Assert.That(ArrayJob.Number([("s", "/r", "")], "my scenario").Single().Label, Is.EqualTo("my_scenario"));
    }

    /// <summary>
    /// A stand-in harness that writes its arguments, one per line, saves a checkpoint at update $FAKE_STEP if set,
    /// sends the batch shell $FAKE_SIGNAL if set, and exits with $FAKE_EXIT.
    /// </summary>
    (string Harness, string Args, string Bin) StandIns()
    {
        var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        var args = Path.Combine(dir, "args.txt");
        var harness = Path.Combine(bin, "fake-harness");
        File.WriteAllText(harness, $$"""
            #!/bin/bash
            printf '%s\n' "$@" > '{{args}}'
            if [ -n "$FAKE_STEP" ]; then mkdir -p "$FAKE_DIR/checkpoint"; printf '{\n  "step": %s,\n}\n' "$FAKE_STEP" > "$FAKE_DIR/checkpoint/state.json"; fi
            [ -n "$FAKE_SIGNAL" ] && kill -"$FAKE_SIGNAL" "$PPID_OF_SHELL"
            exit ${FAKE_EXIT:-0}
            """);
        // srun drops its own options and runs the command; scontrol records what it was asked.
        File.WriteAllText(Path.Combine(bin, "srun"), "#!/bin/bash\nwhile [[ \"$1\" == --* ]]; do shift; done\nexec \"$@\"\n");
        File.WriteAllText(Path.Combine(bin, "scontrol"), $"#!/bin/bash\necho \"$@\" > '{dir}/scontrol.txt'\n");
        // scancel lingers like Slurm 22.05's after a signal, so the run ends while the shell's trap still waits for it.
        File.WriteAllText(Path.Combine(bin, "scancel"), "#!/bin/bash\nsleep 1\n");
        if (!OperatingSystem.IsWindows()) foreach (var f in Directory.GetFiles(bin)) File.SetUnixFileMode(f, (UnixFileMode)0b111_101_101);
        return (harness, args, bin);
    }

    (int Code, string Out) RunTask(ArrayJob job, int task, string bin, Dictionary<string, string>? env = null)
    {
        Directory.CreateDirectory(job.Folder);
        var vars = new Dictionary<string, string>(env ?? [])
        {
            ["SLURM_ARRAY_TASK_ID"] = task.ToString(), ["SLURM_ARRAY_JOB_ID"] = "77", ["SLURM_JOB_ID"] = "80",
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        return Bash([], SbatchScript.ForCells(job), vars);
    }

    [Test]
    public void A_task_runs_its_own_cell_fresh_and_links_its_log_by_label()
    {
        var (harness, args, bin) = StandIns();
        var job = Job(harness: [harness]);
        var (code, output) = RunTask(job, 2, bin);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(File.ReadAllLines(args), Is.EqualTo(new[] { "run", job.Scenario, "--out", job.Root, "--cell", "tiny[seed=3,note=a b]" }));
        Assert.That(output, Does.Contain("harness: cell tiny[seed=3,note=a b], task 2 of array job 77 (job 80, attempt 1)"));
        Assert.That(new FileInfo(Path.Combine(job.Folder, "note-a_b_seed-3.log")).LinkTarget, Is.EqualTo("77_2.log"));
    }

    static void Manifest(string runDir, string status)
    {
        Directory.CreateDirectory(runDir);
        File.WriteAllText(Path.Combine(runDir, "manifest.json"), $"{{\n  \"format\": \"harness-run/1\",\n  \"status\": \"{status}\"\n}}\n");
    }

    [Test]
    public void A_task_whose_cell_stopped_resumes_it_from_its_checkpoint()
    {
        var (harness, args, bin) = StandIns();
        var job = Job(harness: [harness]);
        Manifest(job.Cells[0].Directory, "stopped");
        var checkpoint = Directory.CreateDirectory(Path.Combine(job.Cells[0].Directory, "checkpoint")).FullName;
        File.WriteAllText(Path.Combine(checkpoint, "state.json"), "{\n  \"step\": 14,\n  \"stream\": {}\n}\n");
        var (code, output) = RunTask(job, 0, bin, new() { ["SLURM_RESTART_COUNT"] = "1" });
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(File.ReadAllLines(args), Is.EqualTo(new[] { "run", job.Scenario, "--out", job.Root, "--cell", "tiny[seed=1,note=it's]", "--resume" }));
        Assert.That(output, Does.Contain("attempt 2").And.Contain("resuming").And.Contain("from its checkpoint at update 14"));
    }

    [Test]
    public void A_task_whose_cell_stopped_before_its_first_checkpoint_resumes_it_from_the_start()
    {
        var (harness, args, bin) = StandIns();
        var job = Job(harness: [harness]);
        Manifest(job.Cells[1].Directory, "running");
        var (code, output) = RunTask(job, 1, bin);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(File.ReadAllLines(args)[^1], Is.EqualTo("--resume"), "harness run --resume restarts a run without checkpoint from update 0");
        Assert.That(output, Does.Contain("from the start (it stopped before saving a checkpoint)"));
    }

    [Test]
    public void A_task_whose_cell_is_complete_does_not_run_it_again()
    {
        var (harness, args, bin) = StandIns();
        var job = Job(harness: [harness]);
        Manifest(job.Cells[1].Directory, "complete");
        var (code, output) = RunTask(job, 1, bin);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(File.Exists(args), Is.False, "harness was not started");
        Assert.That(output, Does.Contain("is complete; nothing to run"));
    }

    [Test]
    public void A_run_stopped_at_the_time_limit_warning_after_progress_requeues_its_task_and_one_stopped_otherwise_does_not()
    {
        var (harness, _, bin) = StandIns();
        var job = Job(harness: [harness]);
        // The stand-in signals the batch shell the way Slurm's B:USR1 does, saves a checkpoint and exits 3 like harness.
        var env = new Dictionary<string, string> { ["FAKE_EXIT"] = "3", ["FAKE_STEP"] = "6", ["FAKE_DIR"] = job.Cells[0].Directory, ["FAKE_SIGNAL"] = "USR1" };
        var script = SbatchScript.ForCells(job).Replace("srun --ntasks", "PPID_OF_SHELL=$$ srun --ntasks", StringComparison.Ordinal);
        Directory.CreateDirectory(job.Folder);
        var vars = new Dictionary<string, string>(env)
        {
            ["SLURM_ARRAY_TASK_ID"] = "0", ["SLURM_ARRAY_JOB_ID"] = "77", ["SLURM_JOB_ID"] = "80", ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        var (code, output) = Bash([], script, vars);
        Assert.That(code, Is.EqualTo(3), output);
        Assert.That(File.ReadAllText(Path.Combine(dir, "scontrol.txt")).Trim(), Is.EqualTo("requeue 77_0"), output);
        Assert.That(output, Does.Contain("checkpoint at update 6 before the time limit; requeueing 77_0"));

        // The same stop without the warning (scancel --signal=TERM) leaves the requeue to whoever stopped it.
        File.Delete(Path.Combine(dir, "scontrol.txt"));
        Directory.Delete(Path.Combine(job.Cells[0].Directory, "checkpoint"), true);
        vars["FAKE_SIGNAL"] = "TERM";
        (code, output) = Bash([], script, vars);
        Assert.That(code, Is.EqualTo(3), output);
        Assert.That(File.Exists(Path.Combine(dir, "scontrol.txt")), Is.False, output);
    }

    [Test]
    public void The_check_job_decides_nothing_while_a_cell_is_incomplete()
    {
        var (harness, args, bin) = StandIns();
        var job = Job(harness: [harness]);
        Directory.CreateDirectory(job.Root);
        var (code, output) = Bash([], SbatchScript.ForCheck(job), new() { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"not complete: {job.Cells[0].Directory}"));
        Assert.That(File.ReadAllText(job.Verdicts), Does.StartWith("not decided: some cells did not complete"));
        Assert.That(File.Exists(args), Is.False, "harness check was not started");
    }

    static (int Code, string Out) Bash(IReadOnlyList<string> options, string script, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var o in options) start.ArgumentList.Add(o);
        start.ArgumentList.Add("-s");
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

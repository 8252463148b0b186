using System.Diagnostics;
using System.Text.Json;
using Harness.Cluster;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary>
/// <c>harness submit</c> against a real Slurm: a single-node cluster (slurmctld, slurmd, munge) that
/// <c>slurm-single-node.sh</c> installs and starts when it is missing and stops afterwards. Without root or without
/// the package the tests are skipped with the reason; the scheduler is never faked.
/// </summary>
[Category("Slurm")]
[NonParallelizable]
public class SlurmArrayTests
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    static string SetupScript => Path.Combine(Repository.Root, "tests", "Harness.Tests", "Cluster", "slurm-single-node.sh");

    string work = null!;
    readonly List<string> jobs = [];

    [OneTimeSetUp]
    public void StartSlurm()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the Slurm tests need Linux");
        var clock = Stopwatch.StartNew();
        var (code, output) = Command("bash", [SetupScript, "up", Environment.ProcessId.ToString()], TimeSpan.FromMinutes(10));
        if (code != 0) Assert.Ignore($"no single-node Slurm on this machine (slurm-single-node.sh up exited {code}): {output.Trim()}");
        TestContext.Progress.WriteLine($"Slurm {Command("sinfo", ["--version"]).Output.Trim()} ready in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public void StopSlurm()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(SetupScript)) return;
        var (code, output) = Command("bash", [SetupScript, "down", Environment.ProcessId.ToString()], TimeSpan.FromMinutes(2));
        if (code != 0) TestContext.Progress.WriteLine($"slurm-single-node.sh down exited {code}: {output}");
    }

    [SetUp] public void SetUp() => work = Directory.CreateTempSubdirectory("harness-slurm-").FullName;

    [TearDown]
    public void TearDown()
    {
        if (jobs.Count > 0)
        {
            // A job still running when the cluster stops leaves step daemons behind; let cancelled ones end first.
            Command("scancel", jobs);
            var clock = Stopwatch.StartNew();
            while (jobs.Any(j => Run("squeue", ["--noheader", "--states=R,CG,S,PD", $"--jobs={j}"]).Out.Trim().Length > 0) && clock.Elapsed < TimeSpan.FromMinutes(1))
                Thread.Sleep(200);
        }
        jobs.Clear();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Passed) Directory.Delete(work, recursive: true);
        else TestContext.Progress.WriteLine($"kept {work} (run directories, slurm/ logs and scripts)");
    }

    /// <summary>Four tiny cells (two axes) of the tests' tiny run, which take seconds each and checkpoint every second update.</summary>
    string Scenario() => Write("array.yaml", TinyRun.Yaml(checkpointEvery: 2, steps: 160) + """

        cluster: { cpus: 1, memory: 1G, time_limit: "10", checkpoint_grace: 60 }
        matrix:
          seed: [5, 6]
          training.optimizer.lr: [3.0e-3, 1.0e-3]
        expect:
          - effectivity_positive: { divergence: "cells of 160 updates" }
        """);

    string Write(string name, string text)
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void A_cell_stopped_mid_run_and_requeued_resumes_to_the_trajectory_of_an_uninterrupted_run()
    {
        var scenario = Scenario();
        var root = Path.Combine(work, "root");
        var clock = Stopwatch.StartNew();
        var submit = HarnessProcess.Run("submit", scenario, "--scheduler", "slurm", "--out", root, "--max-running", "2");
        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.Out + submit.Err);
        var first = SubmittedJobs.Read(root).Single();
        jobs.AddRange([first.ArrayJob, first.CheckJob]);
        var (a, cells) = (first.ArrayJob, first.Cells);
        Assert.That(cells, Has.Count.EqualTo(4));

        var again = HarnessProcess.Run("submit", scenario, "--out", root);
        Assert.That(again.ExitCode, Is.EqualTo(2), "a second array over cells still queued is refused");
        Assert.That(SubmitAndStatusCommandTests.Unwrapped(again.Out), Does.Contain("jobs of the last submission are still queued or running"));

        // Stop cells 0 and 1 once each has saved a periodic checkpoint, while the run is still going.
        Until(() => cells.Take(2).All(c => CheckpointStep(c) >= 2), $"cells 0 and 1 of {a} to save a checkpoint past update 0", root);
        Assert.That(cells.Take(2).Select(c => RunState.Read(c.Directory).Status), Is.All.EqualTo("running"), "the cells are still running");
        // Cell 0: plain scancel --signal=TERM signals the job's steps, and harness runs as one. Cell 1: the time-limit
        // warning, which Slurm sends to the batch shell (--signal=B:USR1@grace). Both at once: scancel 22.05 may keep
        // retrying for seconds after it delivered a signal ("Job is in transitional state"), so its exit code and
        // its duration say nothing; the run directories below say whether the signals arrived.
        var signals = new[] { Task.Run(() => Command("scancel", ["--signal=TERM", $"{a}_0"])), Task.Run(() => Command("scancel", ["--batch", "--signal=USR1", $"{a}_1"])) };
        Task.WaitAll(signals);
        var scancel = string.Join("\n", signals.Select(t => t.Result.Output));

        Until(() => State($"{a}_0") is { HasEnded: true }, $"task {a}_0 to end after SIGTERM", root);
        Until(() => File.ReadAllText(Log(root, a, 1)).Contains("requeueing", StringComparison.Ordinal) && State($"{a}_1")?.State == "PENDING",
            $"task {a}_1 to stop at the time-limit warning and requeue itself", root);
        foreach (var c in cells.Take(2))
        {
            var state = RunState.Read(c.Directory);
            Assert.That(state.Status, Is.EqualTo("stopped"), $"{c.Name} stopped mid-run; scancel said: {scancel}");
            Assert.That(state.LastUpdate, Is.LessThan(state.Steps), $"{c.Name} stopped before its last update");
            Assert.That(CheckpointStep(c), Is.GreaterThan(0), $"{c.Name} left a checkpoint to resume from");
        }

        Assert.That(Command("scontrol", ["requeue", $"{a}_0"]).Code, Is.EqualTo(0));
        // A requeued job waits about two minutes (its begin time) before it may start again; start both now instead.
        foreach (var task in new[] { $"{a}_0", $"{a}_1" })
            Assert.That(Command("scontrol", ["update", $"JobId={task}", "StartTime=now"]).Code, Is.EqualTo(0));

        // The same two cells, uninterrupted, in this process's harness while the cluster works.
        var reference = Path.Combine(work, "reference");
        foreach (var c in cells.Take(2))
        {
            var run = HarnessProcess.Run("run", scenario, "--cell", c.Name, "--out", reference);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Out + run.Err);
        }

        Until(() => State(first.CheckJob) is { HasEnded: true }, $"check job {first.CheckJob} to run after the array", root);
        var arrayWall = clock.Elapsed;
        Assert.That(State(first.CheckJob)!.State, Is.EqualTo("COMPLETED"), File.ReadAllText(ArrayJob.CheckLogOf(root, first.CheckJob)));
        foreach (var c in cells)
        {
            Assert.That(State(first.TaskId(c))!.State, Is.EqualTo("COMPLETED"), File.ReadAllText(Log(root, a, c.Index)));
            Assert.That(RunState.Read(c.Directory).Status, Is.EqualTo("complete"));
        }
        foreach (var c in cells.Take(2))
        {
            var folder = Path.GetFileName(c.Directory);
            Assert.That(File.ReadAllBytes(Path.Combine(c.Directory, "trajectory.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(reference, folder, "trajectory.csv"))),
                $"{c.Name}: stopped, requeued and resumed, its trajectory.csv is byte-identical to the uninterrupted run's");
            Assert.That(File.ReadAllText(Log(root, a, c.Index)), Does.Contain("attempt 2").And.Contain("from its checkpoint at update"));
        }
        var verdicts = File.ReadAllText(ArrayJob.VerdictsOf(root));
        var expectLine = File.ReadAllLines(scenario).ToList().FindIndex(l => l.Contains("- effectivity_positive", StringComparison.Ordinal)) + 1;
        Assert.That(verdicts, Does.Contain($"array.yaml:{expectLine} effectivity_positive: "));
        Assert.That(verdicts, Does.Contain("holds").Or.Contain("known divergence"));
        Assert.That(File.Exists(Path.Combine(root, "report", "report.md")), "the check job set the cells side by side");

        var status = Status(root);
        Assert.That(status.GetProperty("array_job").GetString(), Is.EqualTo(a));
        Assert.That(status.GetProperty("check_state").GetString(), Is.EqualTo("COMPLETED"));
        foreach (var c in status.GetProperty("cells").EnumerateArray())
        {
            Assert.That((c.GetProperty("state").GetString(), c.GetProperty("run").GetString()), Is.EqualTo(("COMPLETED", "complete")));
            Assert.That(c.GetProperty("last_update").GetInt32(), Is.EqualTo(c.GetProperty("steps").GetInt32()));
            Assert.That(File.Exists(c.GetProperty("log").GetString()), c.GetProperty("log").GetString());
        }

        // Submitting again reruns nothing: each task finds its cell complete.
        var written = cells.ToDictionary(c => c.Index, c => File.ReadAllBytes(Path.Combine(c.Directory, "trajectory.csv")));
        var times = cells.ToDictionary(c => c.Index, c => File.GetLastWriteTimeUtc(Path.Combine(c.Directory, "manifest.json")));
        var resubmit = HarnessProcess.Run("submit", scenario, "--out", root);
        Assert.That(resubmit.ExitCode, Is.EqualTo(0), resubmit.Out + resubmit.Err);
        var second = SubmittedJobs.Read(root)[^1];
        jobs.AddRange([second.ArrayJob, second.CheckJob]);
        Assert.That(second.ArrayJob, Is.Not.EqualTo(a));
        Until(() => State(second.CheckJob) is { HasEnded: true }, $"check job {second.CheckJob} of the second submission", root);
        foreach (var c in cells)
        {
            Assert.That(File.ReadAllText(Log(root, second.ArrayJob, c.Index)), Does.Contain("is complete; nothing to run"));
            Assert.That(File.ReadAllBytes(Path.Combine(c.Directory, "trajectory.csv")), Is.EqualTo(written[c.Index]));
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(c.Directory, "manifest.json")), Is.EqualTo(times[c.Index]), $"{c.Name} was not run again");
        }
        Assert.That(Status(root).GetProperty("array_job").GetString(), Is.EqualTo(second.ArrayJob));
        TestContext.Progress.WriteLine($"array test: submit to verdicts {arrayWall.TotalSeconds:F1} s, with the resubmission {clock.Elapsed.TotalSeconds:F1} s");
    }

    static string Log(string root, string arrayJob, int index) => ArrayJob.LogOf(root, arrayJob, index);

    static int CheckpointStep(ArrayCell cell)
    {
        var state = Path.Combine(cell.Directory, "checkpoint", "state.json");
        try
        {
            return File.Exists(state) ? JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("step").GetInt32() : -1;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return -1; // replaced while read: the next poll sees the new one
        }
    }

    /// <summary>The job or task as squeue reports it (completed jobs stay listed for the cluster's MinJobAge).</summary>
    static SlurmJobState? State(string id)
    {
        var (code, stdout, _) = Run("squeue", [.. SlurmJobState.SqueueArguments, $"--jobs={id.Split('_')[0]}"]);
        return code == 0 ? SlurmJobState.FromSqueue(stdout).GetValueOrDefault(id) : null;
    }

    static JsonElement Status(string root)
    {
        var (code, stdout, stderr) = HarnessProcess.Run("status", root, "--json");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    static void Until(Func<bool> condition, string what, string root)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience)
            {
                var logs = Directory.Exists(Path.Combine(root, "slurm"))
                    ? string.Join("\n", Directory.GetFiles(Path.Combine(root, "slurm"), "*.log").Select(f => $"--- {f}\n{File.ReadAllText(f)}"))
                    : "";
                Assert.Fail($"waited {Patience.TotalMinutes} min for {what}\n{Command("squeue", ["--states=all"]).Output}\n{logs}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>A Slurm command's exit code and output (stdout, then stderr).</summary>
    static (int Code, string Output) Command(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var (code, stdout, stderr) = Run(program, arguments, timeout);
        return (code, stdout + stderr);
    }

    static (int Code, string Out, string Err) Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, stdout.Result, $"{program} did not end within {(timeout ?? TimeSpan.FromMinutes(1)).TotalSeconds} s\n{stderr.Result}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

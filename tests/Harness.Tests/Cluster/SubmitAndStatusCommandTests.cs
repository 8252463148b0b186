using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Cluster;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary><c>harness submit</c> and <c>harness status</c> as processes, where no scheduler is needed: --dry-run, flags over cluster: keys, bad input, no Slurm on PATH, a root without jobs.</summary>
public class SubmitAndStatusCommandTests
{
    string dir = null!;

    [SetUp] public void SetUp() => dir = Directory.CreateTempSubdirectory("harness-submit-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(dir, recursive: true);

    string Scenario(string cluster = "") => Write("sweep.yaml", $"""
        name: sweep
        runtime: {"{"} threads: 3 {"}"}
        model: {"{"} checkpoint: scratch, architecture: {"{"} d_model: 32, layers: 2, heads: 2 {"}"} {"}"}
        data: {"{"} sequence_length: 32, batch_size: 2 {"}"}
        knowledge: {"{"} items: 2, on_degraded: warn {"}"}
        training: {"{"} steps: 10 {"}"}
        injection: {"{"} groups: [{"{"} name: g, items: 0..1, at: [0] {"}"}] {"}"}
        matrix:
          seed: [1, 2]
          data.batch_size: [2, 4]
        {cluster}
        """);

    string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Output with the line breaks that the console's 80-column wrapping puts into long messages taken out again.</summary>
    internal static string Unwrapped(string text) => Regex.Replace(text, @" *\n *", " ");

    /// <summary>The harness with PATH holding only an empty folder: no sbatch, squeue or sacct.</summary>
    static (int Code, string Out) WithoutSlurm(params string[] args)
    {
        var empty = Directory.CreateTempSubdirectory("no-slurm-").FullName;
        try
        {
            var start = HarnessProcess.StartInfo(args);
            start.Environment["PATH"] = empty;
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        finally { Directory.Delete(empty); }
    }

    [Test]
    public void Dry_run_prints_both_scripts_and_the_sbatch_commands_and_writes_nothing()
    {
        var scenario = Scenario("cluster: { partition: cpu, memory: 2G, time_limit: \"1:00:00\" }");
        var root = Path.Combine(dir, "out");
        var (code, stdout, stderr) = HarnessProcess.Run("submit", scenario, "--scheduler", "slurm", "--out", root, "--dry-run");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain($"#   sbatch --parsable {root}/slurm/cells.sbatch"));
        Assert.That(stdout, Does.Contain($"#   sbatch --parsable --dependency=afterany:<array job id> {root}/slurm/check.sbatch"));
        Assert.That(stdout, Does.Contain("#SBATCH --array=0-3\n").And.Contain("#SBATCH --partition=cpu\n").And.Contain("#SBATCH --mem=2G\n")
            .And.Contain("#SBATCH --time=1:00:00\n").And.Contain("#SBATCH --cpus-per-task=3\n"), "cpus default to runtime.threads");
        Assert.That(stdout, Does.Contain("  'sweep[seed=2,data.batch_size=4]'").And.Contain($"  '{root}/data.batch_size-4_seed-2'"));
        Assert.That(stdout, Does.Contain("#SBATCH --job-name=harness-sweep-check"));
        Assert.That(stdout, Does.Not.Contain("--gpus"), "a cpu scenario asks for no GPU");
        Assert.That(Directory.Exists(root), Is.False, "a dry run writes nothing");
    }

    [Test]
    public void Flags_override_the_cluster_section_and_sbatch_options_add_to_it()
    {
        var scenario = Scenario("cluster: { partition: cpu, account: a1, time_limit: \"1:00:00\", cpus: 2, sbatch: [--qos=low] }");
        var (code, stdout, stderr) = HarnessProcess.Run("submit", scenario, "--out", Path.Combine(dir, "out"), "--dry-run",
            "--partition", "gpu", "--time-limit", "2-00:00:00", "--gpus", "2", "--memory", "64G", "--checkpoint-grace", "900", "--max-running", "3", "--sbatch=--constraint=h100");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        var lines = stdout.Split('\n').Where(l => l.StartsWith("#SBATCH", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Does.Contain("#SBATCH --partition=gpu").And.Contain("#SBATCH --time=2-00:00:00").And.Contain("#SBATCH --gpus=2")
            .And.Contain("#SBATCH --mem=64G").And.Contain("#SBATCH --signal=B:USR1@900").And.Contain("#SBATCH --array=0-3%3")
            .And.Contain("#SBATCH --account=a1").And.Contain("#SBATCH --cpus-per-task=2").And.Contain("#SBATCH --qos=low").And.Contain("#SBATCH --constraint=h100"));
        Assert.That(lines, Has.None.EqualTo("#SBATCH --partition=cpu").And.None.EqualTo("#SBATCH --time=1:00:00"));
    }

    [TestCase("--time-limit", "90 min", "--time-limit '90 min' is not a Slurm time limit")]
    [TestCase("--memory", "lots", "--memory 'lots' is not a Slurm memory size")]
    [TestCase("--partition", "a b", "--partition 'a b' contains white space")]
    [TestCase("--cpus", "0", "--cpus 0 is out of range")]
    [TestCase("--checkpoint-grace", "70000", "--checkpoint-grace 70000 is out of range; give a whole number from 1 to 65535")]
    [TestCase("--sbatch=--array=0-9", null, "--sbatch '--array=0-9' sets --array")]
    [TestCase("--scheduler", "pbs", "--scheduler pbs: unknown scheduler")]
    public void A_bad_flag_exits_2_naming_it(string flag, string? value, string message)
    {
        var args = new List<string> { "submit", Scenario(), "--dry-run", flag };
        if (value is not null) args.Add(value);
        var (code, stdout, stderr) = HarnessProcess.Run([.. args]);
        Assert.That(code, Is.EqualTo(2), stdout + stderr);
        Assert.That(Unwrapped(stdout + stderr), Does.Contain(message).And.Not.Contain("   at "));
    }

    [Test]
    public void A_grace_as_long_as_the_time_limit_is_refused_whether_it_comes_from_flags_or_the_scenario()
    {
        var (code, stdout, _) = HarnessProcess.Run("submit", Scenario("cluster: { time_limit: \"20\" }"), "--dry-run", "--checkpoint-grace", "1200");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(Unwrapped(stdout), Does.Contain("checkpoint_grace 1200 s is not shorter than the time limit 20 (1200 s)"));
        var bad = Scenario("cluster:\n  time_limit: \"4\"\n");
        (code, stdout, _) = HarnessProcess.Run("validate", bad);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(Unwrapped(stdout), Does.Contain("sweep.yaml:12:15: checkpoint_grace 300 s is not shorter than the time limit 4 (240 s)"));
    }

    [Test]
    public void A_bad_cluster_key_exits_2_at_its_line_and_column()
    {
        var scenario = Scenario("cluster:\n  time_limit: 2h\n");
        var (code, stdout, stderr) = HarnessProcess.Run("submit", scenario, "--dry-run");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(Unwrapped(stdout + stderr), Does.Contain("sweep.yaml:12:15: cluster.time_limit '2h' is not a Slurm time limit. fix: write minutes").And.Not.Contain("   at "));
    }

    [Test]
    public void Submit_without_sbatch_on_path_exits_2_naming_the_fix()
    {
        var (code, output) = WithoutSlurm("submit", Scenario(), "--out", Path.Combine(dir, "out"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(Unwrapped(output), Does.Contain("sbatch not found on PATH").And.Contain("Slurm login node").And.Contain("--dry-run").And.Not.Contain("   at "));
    }

    [Test]
    public void Status_of_a_root_with_no_jobs_says_so_and_of_a_missing_root_exits_2()
    {
        var (code, stdout, _) = HarnessProcess.Run("status", dir);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(Unwrapped(stdout), Does.Contain("no jobs were submitted from here").And.Contain("harness submit <scenario> --out"));
        (code, stdout, _) = HarnessProcess.Run("status", dir, "--json");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(JsonDocument.Parse(stdout).RootElement.GetProperty("cells").GetArrayLength(), Is.EqualTo(0));
        (code, stdout, _) = HarnessProcess.Run("status", Path.Combine(dir, "nope"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(Unwrapped(stdout), Does.Contain("nope: no such folder"));
    }

    [Test]
    public void Status_without_slurm_on_path_reports_each_cell_from_its_run_directory()
    {
        var root = Path.Combine(dir, "root");
        var cells = ArrayJob.Number([("s[a=1]", Path.Combine(root, "a-1"), "a-1"), ("s[a=2]", Path.Combine(root, "a-2"), "a-2")], "s");
        SubmittedJobs.Append(root, new Submission(DateTimeOffset.Now, Path.Combine(dir, "s.yaml"), "41", "42", cells));
        Directory.CreateDirectory(cells[0].Directory);
        RunManifestFile.Write(Path.Combine(cells[0].Directory, "manifest.json"),
            new RunManifest { Scenario = "s[a=1]", Steps = 40, Status = "stopped", Analysis = new ManifestAnalysis(), Injections = [] });
        File.WriteAllText(Path.Combine(cells[0].Directory, "training.csv"), "phase,step,loss,lr,train_ms,scoring_ms,io_ms\ntrain,0,5.5,0.001,1,1,1\ntrain,11,4.25,0.001,1,1,1\n");

        var (code, output) = WithoutSlurm("status", root, "--json");
        Assert.That(code, Is.EqualTo(0), output);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.That(json.GetProperty("array_job").GetString(), Is.EqualTo("41"));
        var first = json.GetProperty("cells")[0];
        Assert.That((first.GetProperty("task").GetString(), first.GetProperty("run").GetString(), first.GetProperty("last_update").GetInt32(), first.GetProperty("steps").GetInt32()),
            Is.EqualTo(("41_0", "stopped", 12, 40)));
        Assert.That(first.GetProperty("log").GetString(), Is.EqualTo(Path.Combine(root, "slurm", "41_0.log")));
        Assert.That(first.GetProperty("state").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("cells")[1].GetProperty("run").GetString(), Is.EqualTo(RunState.NotStarted));
        Assert.That(json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { "squeue not found on PATH", "sacct not found on PATH" }));

        // The table wraps narrow columns when output is not a terminal; the task ids and notes stay whole.
        (code, output) = WithoutSlurm("status", root);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("41_0").And.Contain("41_1").And.Contain("note: squeue not found on PATH"));
    }
}

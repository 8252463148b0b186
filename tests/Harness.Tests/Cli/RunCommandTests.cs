using System.Diagnostics;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary><c>harness run</c> as a process: determinism across processes, a killed run resumed, bad input.</summary>
[Category("Training")]
public class RunCommandTests
{
    private TempFolder folder = null!;

    [SetUp] public void SetUp() => folder = new TempFolder();
    [TearDown] public void TearDown() => folder.Dispose();

    private string Scenario(int checkpointEvery = 0) => folder.Write("tiny.yaml", TinyRun.Yaml(checkpointEvery));

    [Test]
    public void Two_processes_with_the_same_scenario_write_bitwise_identical_trajectories()
    {
        var scenario = Scenario();
        var (a, outA, errA) = HarnessProcess.Run("run", scenario, "--out", Path.Combine(folder.Path, "a"));
        var (b, _, errB) = HarnessProcess.Run("run", scenario, "--out", Path.Combine(folder.Path, "b"));
        Assert.That((a, b), Is.EqualTo((0, 0)), outA + errA + errB);
        Assert.That(File.ReadAllBytes(Path.Combine(folder.Path, "b", "trajectory.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(folder.Path, "a", "trajectory.csv"))));
        var metrics = File.ReadAllBytes(Path.Combine(folder.Path, "a", "metrics.json"));
        Assert.That(HarnessProcess.Run("analyze", Path.Combine(folder.Path, "a")).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(Path.Combine(folder.Path, "a", "metrics.json")), Is.EqualTo(metrics),
            "harness analyze recomputes the run's metrics.json from manifest.json and trajectory.csv alone");
    }

    [Test]
    public void A_run_killed_mid_way_resumes_to_the_identical_trajectory()
    {
        var scenario = Scenario(checkpointEvery: 5);
        var whole = Path.Combine(folder.Path, "whole");
        Assert.That(HarnessProcess.Run("run", scenario, "--out", whole).ExitCode, Is.EqualTo(0));

        var killed = Path.Combine(folder.Path, "killed");
        using (var p = Process.Start(HarnessProcess.StartInfo("run", scenario, "--out", killed))!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            // SIGKILL right after the first logged checkpoint past step 0: no handler runs, only what was on disk survives.
            var state = Path.Combine(killed, "checkpoint", "state.json");
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(state) && File.ReadAllText(state).Contains("\"step\": 5")) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(20);
            Assert.That(p.HasExited, Is.False, "the run finished before it could be killed");
            p.Kill();
            p.WaitForExit();
        }
        var (code, stdout, stderr) = HarnessProcess.Run("run", scenario, "--out", killed, "--resume");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(File.ReadAllText(Path.Combine(killed, "trajectory.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(whole, "trajectory.csv"))));
        Assert.That(RunManifestFile.Read(Path.Combine(killed, "manifest.json")).Status, Is.EqualTo("complete"));
    }

    [Test]
    public void A_missing_scenario_exits_2_without_a_stack_trace()
    {
        var (code, stdout, stderr) = HarnessProcess.Run("run", Path.Combine(folder.Path, "nope.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout + stderr, Does.Contain("nope.yaml").And.Not.Contain("   at "));
    }

    [Test]
    public void A_yaml_syntax_error_exits_2_with_line_and_column()
    {
        var bad = folder.Write("bad.yaml", "name: x\ntraining: { steps: 5\nseed: 1\n");
        var (code, stdout, stderr) = HarnessProcess.Run("run", bad);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout + stderr, Does.Match(@"bad\.yaml:\d+:\d+").And.Not.Contain("   at "));
    }
}

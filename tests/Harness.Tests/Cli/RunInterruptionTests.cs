using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Runs;
using Harness.Tests.Support;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness run</c> stopped at each of its writes and continued: a full disk (a small tmpfs) at the first manifest, the
/// step-0 checkpoint, a periodic checkpoint, the trajectory and the plots; every signal that asks it to end; SIGKILL.
/// Each stop exits with its code and one line, leaves only whole files and no temporary, and the continued run writes
/// the trajectory of an uninterrupted one, byte for byte.
/// </summary>
[Category("Training")]
public partial class RunInterruptionTests
{
    private const int Steps = 30, CheckpointEvery = 5;

    /// <summary>Room enough for the whole run: 4096 pages (16 MiB).</summary>
    private const long Roomy = 4096;

    private TempFolder referenceFolder = null!;
    private string reference = null!;
    private byte[] referenceTrajectory = null!;

    private TempFolder folder = null!;
    private readonly Stack<IDisposable> cleanUp = new();

    [OneTimeSetUp]
    public void RunUninterrupted()
    {
        referenceFolder = new TempFolder();
        reference = referenceFolder.File("reference");
        var (code, stdout, stderr) = HarnessProcess.Run("run", referenceFolder.Write("scenario.yaml", TinyRun.Yaml(CheckpointEvery, Steps)), "--out", reference);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        referenceTrajectory = File.ReadAllBytes(new RunPaths(reference).Trajectory);
    }

    [OneTimeTearDown] public void DeleteReference() => referenceFolder.Dispose();

    [SetUp] public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown()
    {
        while (cleanUp.TryPop(out var item)) item.Dispose(); // the process before its disk
        folder.Dispose();
    }

    // ---- a full disk ----

    [Test]
    public void A_full_disk_at_the_first_manifest_saves_nothing_and_the_same_command_runs_the_run_again()
    {
        var disk = Disk(pages: 1); // the lock file takes the one page
        var run = Path.Combine(disk.Path, "run");
        var (code, output) = Harness("run", Scenario(), "--out", run);
        AssertStopped(code, output, "No space left on device", "run it again");
        AssertWhole(run);
        Assert.That(new RunPaths(run).Written(), Is.Empty, "nothing of the run is there, so a plain run may start it");

        disk.Resize(Roomy);
        AssertSucceeds(Harness("run", Scenario(), "--out", run));
        AssertAsUninterrupted(run);
    }

    [Test]
    public void A_full_disk_at_the_step_0_checkpoint_stops_and_resume_starts_the_run_over()
    {
        // 64 pages: the manifest, the step-0 trajectory and the log fit (6 pages); the checkpoint (≈230) does not.
        var disk = Disk(pages: 64);
        var run = Path.Combine(disk.Path, "run");
        var (code, output) = Harness("run", Scenario(), "--out", run);
        AssertStopped(code, output, "No space left on device", "checkpoint.tmp-", "harness run --resume");
        AssertWhole(run);
        Assert.That(Directory.Exists(new RunPaths(run).Checkpoint), Is.False);
        Assert.That(RunManifestFile.Read(new RunPaths(run).Manifest).Status, Is.EqualTo("running"));
        Assert.That(LastTrajectoryStep(run), Is.EqualTo(0));

        disk.Resize(Roomy);
        AssertResumes(run);
    }

    [Test]
    public void A_full_disk_at_a_periodic_checkpoint_keeps_the_one_before_and_resume_continues_from_it()
    {
        Dictionary<string, long> before = [];
        // Room for the trajectory, log and manifest of the next checkpoint, and half of the checkpoint itself.
        var (disk, run, saved, code, output) = RunIntoAFullDisk(fromStep: 0, free: run =>
        {
            before = Sizes(new RunPaths(run).Checkpoint);
            return SmallDisk.PagesOf(new RunPaths(run).Checkpoint) / 2 + SmallDisk.Pages(referenceTrajectory.Length) + 8;
        });
        AssertStopped(code, output, "No space left on device", "checkpoint.tmp-", "harness run --resume");
        AssertWhole(run);
        Assert.That((CheckpointStep(run), Sizes(new RunPaths(run).Checkpoint)), Is.EqualTo((saved, before)), "the checkpoint before is kept whole");
        Assert.That(LastTrajectoryStep(run), Is.EqualTo(saved + CheckpointEvery), "the trajectory written just before the failed checkpoint");

        disk.Unfill();
        AssertResumes(run);
    }

    [Test]
    public void A_full_disk_at_the_trajectory_keeps_the_files_before_and_resume_continues_from_the_checkpoint()
    {
        // The next write is the trajectory of the next checkpoint.
        var (disk, run, saved, code, output) = RunIntoAFullDisk(fromStep: CheckpointEvery, free: _ => 0);
        AssertStopped(code, output, "No space left on device", ".trajectory.csv.", "harness run --resume");
        AssertWhole(run);
        Assert.That((CheckpointStep(run), LastTrajectoryStep(run)), Is.EqualTo((saved, saved)));
        Assert.That(RunManifestFile.Read(new RunPaths(run).Manifest).Status, Is.EqualTo("running"));

        disk.Unfill();
        AssertResumes(run);
    }

    [Test]
    public void A_full_disk_at_the_plots_of_a_complete_run_says_so_and_analyze_finishes_them()
    {
        // Without checkpoints (they would leave room for everything once deleted), the run's own files and its metrics
        // and tables fit, and half of the smallest figure does: the first figure fails.
        var refPaths = new RunPaths(reference);
        long runFiles = 1 + new[] { refPaths.Manifest, refPaths.Trajectory, refPaths.TrainingLog }.Sum(f => SmallDisk.Pages(new FileInfo(f).Length));
        long analysis = SmallDisk.Pages(new FileInfo(Path.Combine(reference, RunPaths.MetricsFile)).Length)
                        + SmallDisk.PagesOf(Path.Combine(reference, RunPaths.TablesDir));
        var figures = Directory.GetFiles(Path.Combine(reference, RunPaths.PlotsDir));
        long smallestFigure = figures.Min(f => SmallDisk.Pages(new FileInfo(f).Length));
        var disk = Disk(runFiles + analysis + smallestFigure / 2);
        var run = Path.Combine(disk.Path, "run");
        var (code, output) = Harness("run", Scenario(checkpointEvery: 0), "--out", run);

        AssertStopped(code, output, "the run is complete, but writing its analysis failed", "No space left on device", $"harness analyze {run}");
        AssertWhole(run);
        Assert.That(RunManifestFile.Read(new RunPaths(run).Manifest).Status, Is.EqualTo("complete"));
        Assert.That(File.ReadAllBytes(new RunPaths(run).Trajectory), Is.EqualTo(referenceTrajectory));
        Assert.That(Directory.GetFiles(Path.Combine(run, RunPaths.PlotsDir)), Has.Length.LessThan(figures.Length), "a figure is missing");

        disk.Resize(Roomy);
        var (analyzed, stdout, stderr) = HarnessProcess.Run("analyze", run);
        Assert.That(analyzed, Is.EqualTo(0), stdout + stderr);
        AssertAsUninterrupted(run);
        Assert.That(Directory.GetFiles(Path.Combine(run, RunPaths.PlotsDir)).Select(Path.GetFileName), Is.EquivalentTo(figures.Select(Path.GetFileName)));
    }

    // ---- signals ----

    [TestCase("SIGTERM")]
    [TestCase("SIGINT")]
    [TestCase("SIGHUP")]
    [TestCase("SIGQUIT")]
    public void A_signal_after_a_periodic_checkpoint_stops_the_run_with_a_checkpoint_and_resume_completes_it(string name)
    {
        var run = folder.File("run");
        var harness = Start("run", Scenario(), "--out", run);
        var signal = RunningHarness.SignalNumber(name);
        if (harness.Ignores(signal))
            Assert.Ignore($"harness starts with {name} ignored, inherited from this test process (a shell's background job ignores SIGINT and SIGQUIT), and keeps it so");
        harness.WaitUntil(() => CheckpointStep(run) >= CheckpointEvery, "the first periodic checkpoint");
        harness.Signal(signal);
        AssertInterruptedAndResumes(harness, run, after: CheckpointEvery);
    }

    [Test]
    public void A_SIGTERM_right_after_step_0_stops_the_run_before_its_first_periodic_checkpoint_and_resume_completes_it()
    {
        var run = folder.File("run");
        var harness = Start("run", Scenario(), "--out", run);
        harness.WaitUntil(() => CheckpointStep(run) == 0, "the step-0 checkpoint");
        harness.Signal(RunningHarness.SIGTERM);
        int stopped = AssertInterruptedAndResumes(harness, run, after: 0);
        Assert.That(stopped, Is.LessThan(CheckpointEvery));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_SIGKILL_before_or_after_the_first_periodic_checkpoint_resumes_to_the_identical_trajectory(bool afterFirstPeriodic)
    {
        var run = folder.File("run");
        var harness = Start("run", Scenario(), "--out", run);
        if (afterFirstPeriodic)
        {
            harness.WaitUntil(() => CheckpointStep(run) >= CheckpointEvery, "the first periodic checkpoint");
            var delay = TestContext.CurrentContext.Random.Next(0, 150);
            TestContext.Out.WriteLine($"SIGKILL {delay} ms after the first periodic checkpoint");
            Thread.Sleep(delay);
        }
        else harness.WaitUntil(() => File.Exists(new RunPaths(run).Manifest), "the manifest"); // at or before the step-0 checkpoint
        harness.Signal(RunningHarness.SIGKILL);
        Assert.That(harness.Exit().ExitCode, Is.EqualTo(128 + RunningHarness.SIGKILL), "killed before it completed");
        // No handler ran: the lock of the killed process is still there and is taken over.
        Assert.That(File.Exists(Path.Combine(run, RunLock.FileName)), Is.True);
        AssertResumes(run);
    }

    // ---- helpers ----

    private string Scenario(int checkpointEvery = CheckpointEvery) => folder.Write($"scenario-{checkpointEvery}.yaml", TinyRun.Yaml(checkpointEvery, Steps));

    private SmallDisk Disk(long pages)
    {
        var disk = SmallDisk.Mount(folder.File("disk"), pages);
        cleanUp.Push(disk);
        return disk;
    }

    private RunningHarness Start(params string[] args)
    {
        var harness = RunningHarness.Start(args);
        cleanUp.Push(harness);
        return harness;
    }

    private static (int ExitCode, string Output) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    /// <summary>
    /// Runs on a roomy disk until it is paused between writes at a checkpoint from <paramref name="fromStep"/> on, fills
    /// the disk up to <paramref name="free"/> pages (of the run directory there) and lets the run go on into it.
    /// </summary>
    private (SmallDisk Disk, string Run, int Saved, int ExitCode, string Output) RunIntoAFullDisk(int fromStep, Func<string, long> free)
    {
        var disk = Disk(Roomy);
        var run = Path.Combine(disk.Path, "run");
        var harness = Start("run", Scenario(), "--out", run);
        int saved = PauseBetweenWrites(harness, run, fromStep);
        disk.FillLeaving(free(run));
        harness.Continue();
        var (code, output) = harness.Exit();
        return (disk, run, saved, code, output);
    }

    /// <summary>
    /// Pauses the run (SIGSTOP) between two writes: its checkpoint at a step from <paramref name="fromStep"/> on is whole,
    /// the trajectory written with it is the last one written and nothing is half-written, so the next write it makes
    /// is the trajectory of its next checkpoint. Returns the checkpoint's step.
    /// </summary>
    private static int PauseBetweenWrites(RunningHarness harness, string run, int fromStep)
    {
        var paths = new RunPaths(run);
        while (true)
        {
            harness.WaitUntil(() => CheckpointStep(run) >= fromStep, $"a checkpoint at step {fromStep} or later");
            harness.Pause();
            if (CheckpointStep(run) is { } saved && LastTrajectoryStep(run) == saved && !paths.Temporaries().Any())
                return saved;
            harness.Continue();
            Thread.Sleep(2);
        }
    }

    private static int? CheckpointStep(string run)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(new RunPaths(run).Checkpoint, "state.json")));
            return state.RootElement.GetProperty("step").GetInt32();
        }
        catch (Exception e) when (e is IOException or JsonException) // none yet, or swapped while read
        {
            return null;
        }
    }

    private static int? LastTrajectoryStep(string run)
    {
        try
        {
            var last = File.ReadLines(new RunPaths(run).Trajectory).Last();
            return last == TrajectoryCsv.Header ? null : int.Parse(last.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static Dictionary<string, long> Sizes(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f)!, f => new FileInfo(f).Length);

    private static void AssertSucceeds((int ExitCode, string Output) result) =>
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);

    /// <summary>Exit code 3 and one message, the last thing printed, saying why and what to do; no stack trace, no internal error.</summary>
    private static void AssertStopped(int code, string output, params string[] says)
    {
        Assert.That(code, Is.EqualTo(3), output);
        int at = output.IndexOf("run stopped:", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), output);
        Assert.That(output.IndexOf("run stopped:", at + 1, StringComparison.Ordinal), Is.EqualTo(-1), output);
        var message = Unwrapped(output[at..]);
        foreach (var s in says) Assert.That(message, Does.Contain(s));
        Assert.That(output, Does.Not.Contain("internal error").And.Not.Contain("   at "));
    }

    /// <summary>An interrupted run: exit 3, stopped with a checkpoint where it stopped; then resumed as if never interrupted.</summary>
    private int AssertInterruptedAndResumes(RunningHarness harness, string run, int after)
    {
        var (code, output) = harness.Exit();
        AssertStopped(code, output, "interrupted at update", "harness run --resume");
        int stopped = int.Parse(InterruptedAt().Match(Unwrapped(output)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(stopped, Is.GreaterThanOrEqualTo(after).And.LessThan(Steps));
        AssertWhole(run);
        Assert.That(RunManifestFile.Read(new RunPaths(run).Manifest).Status, Is.EqualTo("stopped"));
        Assert.That((CheckpointStep(run), LastTrajectoryStep(run)), Is.EqualTo((stopped, stopped)));

        AssertResumes(run);
        return stopped;
    }

    /// <summary>Spectre wraps lines at the console's width, 80 columns when the output is not a terminal (at a space).</summary>
    private static string Unwrapped(string output) => LineBreak().Replace(output, " ");

    [GeneratedRegex(@"[ \r]*\n *")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"interrupted at update (\d+) of")]
    private static partial Regex InterruptedAt();

    /// <summary>Whatever a stop left is whole: no temporary, no lock, every file there reads.</summary>
    private static void AssertWhole(string run)
    {
        var paths = new RunPaths(run);
        if (!Directory.Exists(run)) return;
        var leftovers = Directory.EnumerateFileSystemEntries(run, "*", SearchOption.AllDirectories)
            .Where(e => Path.GetFileName(e) is var n && ((n.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal)) || n.StartsWith("checkpoint.", StringComparison.Ordinal)))
            .Concat(paths.Temporaries()).Distinct();
        Assert.That(leftovers, Is.Empty, "temporaries left behind");
        Assert.That(File.Exists(Path.Combine(run, RunLock.FileName)), Is.False, "the lock outlived its process");
        if (File.Exists(paths.Manifest)) RunManifestFile.Read(paths.Manifest);
        if (File.Exists(paths.Trajectory)) TrajectoryCsv.Read(paths.Trajectory);
        if (File.Exists(paths.TrainingLog))
            Assert.That(File.ReadAllText(paths.TrainingLog).Split('\n').SkipLast(1).Select(l => l.Split(',').Length), Is.All.EqualTo(7));
        if (Directory.Exists(paths.Checkpoint))
        {
            Assert.That(RunCheckpoint.Find(paths.Checkpoint), Is.Not.Null);
            Assert.That(Directory.GetFiles(paths.Checkpoint).Select(Path.GetFileName), Is.EquivalentTo(new[] { "model.bin", "optimizer.bin", "state.json" }));
        }
        var metrics = Path.Combine(run, RunPaths.MetricsFile);
        if (File.Exists(metrics)) JsonDocument.Parse(File.ReadAllText(metrics)).Dispose();
        var plots = Path.Combine(run, RunPaths.PlotsDir);
        if (Directory.Exists(plots))
            foreach (var png in Directory.GetFiles(plots))
            {
                var bytes = File.ReadAllBytes(png);
                Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), png);
                Assert.That(System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4), Is.EqualTo("IEND"), png);
            }
    }

    private void AssertResumes(string run)
    {
        AssertSucceeds(Harness("run", Scenario(), "--out", run, "--resume"));
        AssertAsUninterrupted(run);
    }

    /// <summary>The continued run is complete and its trajectory is the uninterrupted run's, byte for byte.</summary>
    private void AssertAsUninterrupted(string run)
    {
        var paths = new RunPaths(run);
        AssertWhole(run);
        Assert.That(RunManifestFile.Read(paths.Manifest).Status, Is.EqualTo("complete"));
        Assert.That(Directory.Exists(paths.Checkpoint), Is.False, "a complete run keeps no checkpoint");
        var rows = TrajectoryCsv.Read(paths.Trajectory);
        Assert.That(rows.GroupBy(r => (r.Step, r.Item, r.Group, r.Depth, r.Probe)).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "duplicated rows");
        Assert.That(rows.Select(r => r.Step).Distinct(), Is.EqualTo(Enumerable.Range(0, Steps + 1)), "every evaluated step once, in order");
        Assert.That(File.ReadAllBytes(paths.Trajectory), Is.EqualTo(referenceTrajectory), "the trajectory of the uninterrupted run, byte for byte");
        Assert.That(File.ReadAllBytes(Path.Combine(run, RunPaths.MetricsFile)), Is.EqualTo(File.ReadAllBytes(Path.Combine(reference, RunPaths.MetricsFile))));
    }
}

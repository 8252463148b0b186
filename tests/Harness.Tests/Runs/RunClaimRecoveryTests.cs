using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>
/// What a claim makes of a directory that a killed or stopped run left: the temporaries of unfinished writes go, a
/// checkpoint swapped out by an unfinished save comes back, and a run stopped before its first checkpoint resumes.
/// </summary>
public class RunClaimRecoveryTests
{
    private static readonly Scenario Tiny = TinyRun.Scenario();
    private static readonly IReadOnlyList<ManifestInput> Fingerprints = [new("knowledge", "builtin:fictional-knowledge", "f00d")];

    private static RunClaim Resume(string dir) => RunClaim.Take(dir, RunStart.Resume, RunIdentity.ScenarioNode(Tiny), Fingerprints);

    /// <summary>A run of the tiny scenario that stopped: its manifest and trajectory, no checkpoint.</summary>
    private static RunPaths Stopped(TempFolder folder)
    {
        var paths = new RunPaths(folder.File("stopped"));
        var manifest = SyntheticRun.Write(paths.Root, new SyntheticRunSpec { Steps = 12, Groups = [new("dup", 2, [2, 6])], Of = Tiny });
        RunManifestFile.Write(paths.Manifest, manifest with { Status = "stopped", Inputs = Fingerprints });
        return paths;
    }

    [Test]
    public void Resume_puts_back_a_checkpoint_that_a_killed_save_swapped_out_and_removes_the_temporaries()
    {
        using var folder = new TempFolder();
        var paths = Stopped(folder);
        // Killed between the save's two renames: the last checkpoint is checkpoint.old, the new one checkpoint.tmp-<pid>.
        Directory.CreateDirectory(paths.PreviousCheckpoint);
        File.WriteAllText(Path.Combine(paths.PreviousCheckpoint, "state.json"), "{}");
        Directory.CreateDirectory(paths.Checkpoint + ".tmp-999999");
        File.WriteAllText(Path.Combine(paths.Root, ".trajectory.csv.999999.tmp"), "half");
        Directory.CreateDirectory(Path.Combine(paths.Root, RunPaths.PlotsDir));
        File.WriteAllText(Path.Combine(paths.Root, RunPaths.PlotsDir, ".delta_logprob_dup.png.999999.tmp"), "half");

        Resume(paths.Root).Dispose();

        Assert.That(File.Exists(Path.Combine(paths.Checkpoint, "state.json")), Is.True, "the checkpoint is back");
        Assert.That(paths.Temporaries(), Is.Empty);
        Assert.That(File.Exists(paths.Trajectory), Is.True);
    }

    [Test]
    public void A_run_stopped_before_its_first_checkpoint_resumes_and_files_of_no_known_run_do_not()
    {
        using var folder = new TempFolder();
        Assert.DoesNotThrow(() => Resume(Stopped(folder).Root).Dispose(), "the manifest names the run; it starts over from update 0");

        var unknown = Directory.CreateDirectory(folder.File("unknown")).FullName;
        File.WriteAllText(Path.Combine(unknown, RunDirectory.CsvFile), TrajectoryCsv.Header + "\n");
        Assert.That(Assert.Throws<InputException>(() => Resume(unknown).Dispose())!.Message, Does.Contain("nothing to resume").And.Contain("--force"));
        Assert.That(Assert.Throws<InputException>(() => Resume(folder.File("empty")).Dispose())!.Message,
            Does.Contain("nothing to resume").And.Contain("run without --resume"));
    }
}

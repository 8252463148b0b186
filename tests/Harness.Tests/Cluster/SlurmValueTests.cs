using Harness.Cluster;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary>The forms sbatch takes for --time and --mem, and what a scenario or a flag may put into an #SBATCH line.</summary>
public class SlurmValueTests
{
    [TestCase("90", 5400)]
    [TestCase("1:30", 90)]
    [TestCase("2:00:00", 7200)]
    [TestCase("100:00:00", 360000)]
    [TestCase("1-12", 129600)]
    [TestCase("1-12:30", 131400)]
    [TestCase("2-00:00:05", 172805)]
    public void A_time_limit_in_each_of_Slurms_forms_has_its_seconds(string text, long seconds)
    {
        var limit = TimeLimit.Parse(text, out var problem);
        Assert.That(problem, Is.Empty);
        Assert.That(limit!.Seconds, Is.EqualTo(seconds));
    }

    [TestCase("UNLIMITED")]
    [TestCase("infinite")]
    public void Unlimited_is_no_limit(string text) => Assert.That(TimeLimit.Parse(text, out _)!.Seconds, Is.Null);

    [TestCase("90 min", "is not a Slurm time limit")]
    [TestCase("1:2:3:4", "is not a Slurm time limit")]
    [TestCase("-5", "is not a Slurm time limit")]
    [TestCase("1h", "is not a Slurm time limit")]
    [TestCase("", "is not a Slurm time limit")]
    [TestCase("1-24", "hours above 23")]
    [TestCase("2:60:00", "above 59")]
    [TestCase("5:60", "seconds above 59")]
    [TestCase("0", "no time at all")]
    public void A_time_limit_sbatch_would_refuse_or_misread_is_rejected(string text, string problem)
    {
        Assert.That(TimeLimit.Parse(text, out var message), Is.Null);
        Assert.That(message, Does.Contain(problem));
    }

    [TestCase("16G", true)]
    [TestCase("64000", true)]
    [TestCase("512m", true)]
    [TestCase("0", true)]
    [TestCase("16GB", false)]
    [TestCase("1.5G", false)]
    [TestCase("G", false)]
    public void Memory_takes_a_whole_number_and_one_unit(string text, bool ok) =>
        Assert.That(MemorySize.Problem(text), ok ? Is.Null : Does.Contain("is not a Slurm memory size"));

    [TestCase("--qos=high", null)]
    [TestCase("--constraint=a100", null)]
    [TestCase("-C a100", null)]
    [TestCase("qos=high", "is not an sbatch option")]
    [TestCase("--array=0-3", "sets --array")]
    [TestCase("--output=/tmp/x", "sets --output")]
    [TestCase("-o/tmp/x", "sets -o")]
    [TestCase("--signal=USR2@60", "sets --signal")]
    [TestCase("--dependency=afterok:1", "sets --dependency")]
    [TestCase("--no-requeue", "sets --no-requeue")]
    [TestCase("--qos=a\nb", "more than one line")]
    public void An_extra_option_may_not_set_what_submit_writes_itself(string option, string? problem) =>
        Assert.That(SbatchOptions.ExtraProblem(option), problem is null ? Is.Null : Does.Contain(problem));

    [Test]
    public void A_grace_must_fit_inside_the_time_limit()
    {
        Assert.That(new ClusterSpec { TimeLimit = "10", CheckpointGrace = 300 }.GraceProblem(), Is.Null);
        Assert.That(new ClusterSpec { TimeLimit = "5", CheckpointGrace = 300 }.GraceProblem(), Does.Contain("not shorter than the time limit 5 (300 s)"));
        Assert.That(new ClusterSpec { TimeLimit = "UNLIMITED", CheckpointGrace = 60000 }.GraceProblem(), Is.Null);
        Assert.That(new ClusterSpec { CheckpointGrace = 60000 }.GraceProblem(), Is.Null, "without a time limit of its own the partition's applies");
    }

    [Test]
    public void Cpus_and_gpus_left_open_come_from_the_cells()
    {
        Assert.That(new ClusterSpec().ForCells(threads: 4, cuda: true), Is.EqualTo(new ClusterSpec { Cpus = 4, Gpus = 1 }));
        Assert.That(new ClusterSpec().ForCells(threads: 2, cuda: false), Is.EqualTo(new ClusterSpec { Cpus = 2, Gpus = 0 }));
        var set = new ClusterSpec { Cpus = 8, Gpus = 2 };
        Assert.That(set.ForCells(threads: 1, cuda: false), Is.EqualTo(set));
    }
}

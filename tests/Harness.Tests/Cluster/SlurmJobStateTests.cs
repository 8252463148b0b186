using Harness.Cluster;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary>squeue and sacct output as harness status reads it (the formats of <see cref="SlurmJobState.SqueueArguments"/> and <see cref="SlurmJobState.SacctArguments"/>).</summary>
public class SlurmJobStateTests
{
    [Test]
    public void Squeue_lines_give_each_task_its_state_and_reason()
    {
        var states = SlurmJobState.FromSqueue("""
            41_0|RUNNING|None
            41_1|COMPLETED|None
            41_2|PENDING|BeginTime
            42|PENDING|Dependency

            """);
        Assert.That(states.Keys, Is.EquivalentTo(new[] { "41_0", "41_1", "41_2", "42" }));
        Assert.That(states["41_2"], Is.EqualTo(new SlurmJobState("41_2", "PENDING", "BeginTime")));
        Assert.That(states["41_0"].HasEnded, Is.False);
        Assert.That(states["41_1"].HasEnded, Is.True);
        Assert.That(states["42"].HasEnded, Is.False);
    }

    [Test]
    public void A_collapsed_range_of_pending_tasks_stands_for_each_task()
    {
        var states = SlurmJobState.FromSqueue("7_[2-4,9%2]|PENDING|JobArrayTaskLimit\n7_0|RUNNING|None\n");
        Assert.That(states.Keys, Is.EquivalentTo(new[] { "7_0", "7_2", "7_3", "7_4", "7_9" }));
        Assert.That(states["7_9"].Detail, Is.EqualTo("JobArrayTaskLimit"));
    }

    [Test]
    public void Sacct_lines_keep_the_state_word_and_the_exit_code_and_skip_steps()
    {
        var states = SlurmJobState.FromSacct("""
            41_0|COMPLETED|0:0
            41_0.batch|COMPLETED|0:0
            41_1|CANCELLED by 1000|0:15
            41_[2-3]|PENDING|0:0
            41_4|TIMEOUT|0:0
            """);
        Assert.That(states.Keys, Is.EquivalentTo(new[] { "41_0", "41_1", "41_2", "41_3", "41_4" }));
        Assert.That(states["41_1"], Is.EqualTo(new SlurmJobState("41_1", "CANCELLED", "0:15")));
        Assert.That(states["41_4"].HasEnded, Is.True);
        Assert.That(states["41_3"].State, Is.EqualTo("PENDING"));
    }

    [Test]
    public void A_line_that_is_not_id_state_detail_is_an_input_error_naming_it()
    {
        var e = Assert.Throws<InputException>(() => SlurmJobState.FromSqueue("41_0|RUNNING|None\nslurm_load_jobs error\n"))!;
        Assert.That(e.Message, Does.Contain("squeue output line 2").And.Contain("slurm_load_jobs error"));
    }

    [TestCase("RUNNING", "None", "RUNNING")]
    [TestCase("PENDING", "BeginTime", "PENDING (BeginTime)")]
    [TestCase("FAILED", "3:0", "FAILED (3:0)")]
    [TestCase("COMPLETED", "0:0", "COMPLETED")]
    public void Status_shows_the_reason_or_exit_code_beside_the_state(string state, string detail, string shown)
    {
        var cell = new ArrayCell(0, "x[a=1]", "/nowhere", "a-1");
        var status = new CellStatus(cell, "5_0", new SlurmJobState("5_0", state, detail), new Harness.Runs.RunState("running", 10, 4, 1.0), "/l");
        Assert.That(status.SlurmState, Is.EqualTo(shown));
        Assert.That((status with { Slurm = null }).SlurmState, Is.EqualTo("unknown to Slurm"));
    }
}

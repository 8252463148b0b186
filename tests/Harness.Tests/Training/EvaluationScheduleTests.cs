using Harness.Runs;
using Harness.Scenarios;
using Harness.Training;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Training;

/// <summary>
/// Scoring never changes training: a run scored log-spaced has, at every step it scores, exactly the values of the same
/// run scored after every update. That is what lets the findings tests judge a log-spaced schedule from the subset of an
/// every-step run's steps (tests/Harness.Findings/EvaluationScheduleTests.cs).
/// </summary>
[Category("Training")]
public class EvaluationScheduleTests
{
    [Test]
    public void A_log_spaced_run_has_the_every_step_runs_values_at_its_steps()
    {
        var s = TinyRun.Scenario(steps: 120, pretrain: 20) with
        {
            Injection = new InjectionSpec
            {
                Groups =
                [
                    new InjectionGroup { Name = "dup", Items = [0, 1], At = [0, 10] },
                    new InjectionGroup { Name = "ctl", Items = [2], Control = true },
                ],
            },
        };
        var dense = s with { Probes = s.Probes with { Evaluate = new EvaluationSpec { Every = 1 } } };
        var sparse = s with { Probes = s.Probes with { Evaluate = new EvaluationSpec { DenseAfterInjection = 5, PointsPerDecade = 5 } } };
        using TempFolder folderA = new(), folderB = new();
        var (a, b) = (folderA.Path, folderB.Path);
        TrainingRun.Execute(TinyRun.Inputs(dense), a);
        TrainingRun.Execute(TinyRun.Inputs(sparse), b);

        var every = TrajectoryCsv.Read(new RunPaths(a).Trajectory).ToDictionary(r => (r.Step, r.Item, r.Depth, r.Probe), r => r.LogProb);
        var some = TrajectoryCsv.Read(new RunPaths(b).Trajectory).ToArray();
        Assert.That(some.Select(r => r.Step).Distinct().Count(), Is.LessThan(every.Keys.Select(k => k.Step).Distinct().Count() / 2));
        foreach (var r in some)
            Assert.That(r.LogProb, Is.EqualTo(every[(r.Step, r.Item, r.Depth, r.Probe)]), $"step {r.Step} {r.Item} {r.Depth} {r.Probe}");
    }
}

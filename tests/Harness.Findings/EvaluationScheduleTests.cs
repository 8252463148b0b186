using Harness.Benchmarks;
using Harness.Findings.Support;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Findings;

/// <summary>
/// Scoring densely after each injection and log-spaced afterwards keeps every decay constant (raw and
/// control-adjusted) within 0.01 of scoring after every update, at a tenth of the scorings or less. The every-step run
/// is scenarios/tiny/evaluation-schedule.yaml; the log-spaced run is the subset of its steps that the log-spaced
/// schedule scores (scoring never changes training: Harness.Tests checks that a log-spaced run equals it there).
/// </summary>
[Category("Findings")]
public class EvaluationScheduleTests
{
    [Test]
    public void Log_spaced_evaluation_keeps_decay_constants_within_0_01_of_every_step_evaluation()
    {
        var file = Path.Combine(Repository.Scenarios, "tiny", "evaluation-schedule.yaml");
        var scenario = Harness.Scenarios.ScenarioLoader.Load(file).Single();
        var c = ScheduleComparison.Of(FindingRuns.Directories(file).Single(), denseAfterInjection: scenario.Analysis.LamWindow, pointsPerDecade: 10);
        var report = $"{c.EveryStepEvaluations} scorings every step against {c.SparseEvaluations} log-spaced ({c.CostRatio:F1}× fewer); largest |Δa| = {c.MaxDifference:F4}\n"
                     + string.Join("\n", c.Decays.Select(d => $"{d.Group}/{d.Depth} {d.Ell}: every step a = {d.EveryStep:F4}, log-spaced a = {d.Sparse:F4}"));
        TestContext.Out.WriteLine(report);
        Assert.Multiple(() =>
        {
            Assert.That(c.CostRatio, Is.AtLeast(10), report);
            Assert.That(c.Decays.All(d => d.EveryStep.HasValue && d.Sparse.HasValue), report);
            Assert.That(c.MaxDifference, Is.LessThan(0.01), report);
        });
    }
}

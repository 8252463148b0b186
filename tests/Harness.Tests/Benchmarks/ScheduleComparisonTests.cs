using Harness.Analysis;
using Harness.Benchmarks;
using NUnit.Framework;

namespace Harness.Tests.Performance;

/// <summary>
/// Dense-after-injection + log-spaced evaluation against every-step evaluation, on a synthetic run with a known decay
/// (the real-run check is <c>harness bench --schedule RUN_DIR</c>; see docs/performance.md).
/// </summary>
public class ScheduleComparisonTests
{
    [Test]
    public void Sparse_evaluation_keeps_decay_constants_at_a_tenth_of_the_cost()
    {
        var dir = Path.Combine(Path.GetTempPath(), "harness-schedule-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticRun.Write(dir, new SyntheticRunSpec
            {
                Steps = 1000,
                Groups = [new("duplicate", 3, [0, 20, 40], 1.0, 0.2), new("once", 3, [0], 2.0, 0.3)],
                Depths = [Harness.Data.Knowledge.Depth.Memorization],
                LamWindow = 15,
                Noise = 0.01,
            });
            var c = ScheduleComparison.Of(dir, denseAfterInjection: 15, pointsPerDecade: 10);
            Assert.That(c.EveryStepEvaluations, Is.EqualTo(1001));
            Assert.That(c.CostRatio, Is.GreaterThanOrEqualTo(10));
            Assert.That(c.Decays, Has.Count.EqualTo(2));
            Assert.That(c.Decays.Select(d => d.Sparse), Has.All.Not.Null);
            Assert.That(c.MaxDifference, Is.LessThan(0.01));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_run_scored_sparsely_is_refused_with_the_fix()
    {
        var dir = Path.Combine(Path.GetTempPath(), "harness-schedule-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticRun.Write(dir, new SyntheticRunSpec { Steps = 100, LogSteps = [0, 1, 2, 50, 100], Groups = [new("once", 1, [0])] });
            var e = Assert.Throws<InputException>(() => ScheduleComparison.Of(dir, 5, 10));
            Assert.That(e!.Message, Does.Contain("every: 1"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

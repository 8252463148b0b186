using Harness.Analysis;
using Harness.Benchmarks;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// Dense-after-injection + log-spaced evaluation against every-step evaluation, on a synthetic run with a known decay
/// (the real-run check is <c>harness bench --schedule RUN_DIR</c>; see docs/performance.md).
/// </summary>
public class ScheduleComparisonTests
{
    [Test]
    public void Sparse_evaluation_keeps_decay_constants_at_a_tenth_of_the_cost()
    {
        using var folder = new TempFolder();
        var dir = folder.File("run");
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

    [Test]
    public void A_run_scored_sparsely_is_refused_with_the_fix()
    {
        using var folder = new TempFolder();
        var dir = folder.File("run");
        SyntheticRun.Write(dir, new SyntheticRunSpec { Steps = 100, LogSteps = [0, 1, 2, 50, 100], Groups = [new("once", 1, [0])] });
        var e = Assert.Throws<InputException>(() => ScheduleComparison.Of(dir, 5, 10));
        Assert.That(e!.Message, Does.Contain("every: 1"));
    }
}

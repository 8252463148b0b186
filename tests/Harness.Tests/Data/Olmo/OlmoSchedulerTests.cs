using Harness.Data.Olmo;
using NUnit.Framework;

namespace Harness.Tests.Data.Olmo;

/// <summary>OLMo's schedulers (olmo/optim.py) at the points where their formulas change.</summary>
public class OlmoSchedulerTests
{
    [Test]
    public void OLMo_7Bs_linear_schedule_warms_up_then_falls_to_alpha_f_at_max_steps()
    {
        var s = new OlmoScheduler("linear_with_warmup", 3e-4, 5000, 0.1, null, null, 100_000);
        Assert.Multiple(() =>
        {
            Assert.That(s.LearningRate(0), Is.EqualTo(3e-5).Within(1e-18));
            Assert.That(s.LearningRate(2500), Is.EqualTo(3e-5 + 2.7e-4 / 2).Within(1e-15));
            Assert.That(s.LearningRate(5000), Is.EqualTo(3e-4).Within(1e-15));
            Assert.That(s.LearningRate(52_500), Is.EqualTo(3e-4 - 2.7e-4 / 2).Within(1e-15));
            Assert.That(s.LearningRate(100_000), Is.EqualTo(3e-5).Within(1e-18));
            Assert.That(s.LearningRate(200_000), Is.EqualTo(3e-5).Within(1e-18));
        });
    }

    [Test]
    public void OLMo_1Bs_cosine_schedule_is_halfway_at_the_middle_of_its_decay()
    {
        var s = new OlmoScheduler("cosine_with_warmup", 4e-4, 2000, 0.1, null, null, 739_328);
        Assert.That(s.LearningRate(2000 + (739_328 - 2000) / 2), Is.EqualTo(4e-5 + 3.6e-4 / 2).Within(1e-12));
        Assert.That(s with { TMax = 4000 }, Has.Property(nameof(OlmoScheduler.TMax)).EqualTo(4000));
        Assert.That((s with { TMax = 4000 }).LearningRate(4000), Is.EqualTo(4e-5).Within(1e-18));
    }
}

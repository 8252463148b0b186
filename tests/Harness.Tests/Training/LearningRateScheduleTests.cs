using Harness.Scenarios;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Training;

public class LearningRateScheduleTests
{
    [Test]
    public void Warmup_rises_linearly_to_the_peak()
    {
        var s = new LearningRateSchedule(1e-3, "constant", WarmupSteps: 10, DecaySteps: 1, FinalFraction: 0.1);
        Assert.That(s.At(0), Is.EqualTo(1e-4).Within(1e-12));
        Assert.That(s.At(4), Is.EqualTo(5e-4).Within(1e-12));
        Assert.That(s.At(9), Is.EqualTo(1e-3).Within(1e-12));
        Assert.That(s.At(500), Is.EqualTo(1e-3).Within(1e-12));
    }

    [TestCase("linear", 50, 5.5e-4)]
    [TestCase("cosine", 50, 5.5e-4)]
    [TestCase("linear", 100, 1e-4)]
    [TestCase("cosine", 100, 1e-4)]
    [TestCase("linear", 400, 1e-4)]
    public void Decay_reaches_the_final_fraction_of_the_peak(string kind, int stepAfterWarmup, double expected)
    {
        var s = new LearningRateSchedule(1e-3, kind, WarmupSteps: 10, DecaySteps: 100, FinalFraction: 0.1);
        Assert.That(s.At(10 + stepAfterWarmup), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void A_resumed_schedule_continues_where_the_checkpoint_stopped()
    {
        var pretraining = LearningRateSchedule.From(new OptimizerSpec { Lr = 1e-3 },
            new ScheduleSpec { Name = "linear", WarmupSteps = 10, FinalLrFraction = 0.3 }, phaseSteps: 210);
        var resumed = pretraining with { Offset = 150 };
        for (int u = 0; u < 100; u++) Assert.That(resumed.At(u), Is.EqualTo(pretraining.At(150 + u)));
        Assert.That(resumed.At(80), Is.EqualTo(3e-4).Within(1e-12), "past the decay the rate stays at the floor");
    }

    [TestCase("resume")]
    [TestCase("resume-constant")]
    public void The_logged_phase_takes_its_rate_from_the_pretraining_schedule(string name)
    {
        var s = new Scenario
        {
            Name = "t",
            Pretrain = new PretrainSpec { Steps = 100, Optimizer = new OptimizerSpec { Lr = 1e-3 }, Schedule = new ScheduleSpec { Name = "linear", DecaySteps = 200, FinalLrFraction = 0.1 } },
            Training = new TrainingSpec { Steps = 50, Optimizer = new OptimizerSpec { Lr = 5 }, Schedule = new ScheduleSpec { Name = name } },
        };
        var schedule = TrainingRun.TrainingSchedule(s, ModelOrigin.Scratch);
        var atCheckpoint = Pretraining.Schedule(s.Pretrain).At(100);
        Assert.That(schedule.At(0), Is.EqualTo(atCheckpoint).Within(1e-15), "the rate continues from where pretraining stopped, not the scenario's lr");
        Assert.That(schedule.At(30), Is.EqualTo(name == "resume" ? Pretraining.Schedule(s.Pretrain).At(130) : atCheckpoint).Within(1e-15));
        Assert.That(Pretraining.Schedule(s.Pretrain).At(130), Is.LessThan(atCheckpoint), "the decay is still running, so the two differ");
    }
}

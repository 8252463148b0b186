using Harness.Scenarios;
using Harness.Tests.Support;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Training;

/// <summary>A Hugging Face revision holds weights only: resuming its optimizer or schedule is refused, naming what to supply.</summary>
public class WeightsOnlyResumeTests
{
    [Test]
    public void Resuming_the_schedule_of_a_weights_only_checkpoint_names_the_training_checkpoint_to_supply()
    {
        var s = TinyRun.Scenario() with { Training = new TrainingSpec { Steps = 4, Schedule = new ScheduleSpec { Name = "resume" } } };
        var e = Assert.Throws<Harness.InputException>(() => TrainingRun.TrainingSchedule(s, new ModelOrigin("/models/olmo-7b-hf", null)))!;
        Assert.That(e.Message, Does.Contain("weights only").And.Contain("train.pt and config.yaml"));
    }

    [Test]
    public void Resuming_the_optimizer_of_a_weights_only_checkpoint_names_optim_pt()
    {
        var s = TinyRun.Scenario(steps: 2) with { Training = new TrainingSpec { Steps = 2, Optimizer = new OptimizerSpec { Lr = 1e-3, State = "resume" } } };
        var inputs = TinyRun.Inputs(s) with { Origin = new ModelOrigin("/models/olmo-7b-hf", null) };
        using var dir = new TempFolder();
        var e = Assert.Throws<Harness.InputException>(() => TrainingRun.Execute(inputs, Path.Combine(dir.Path, "run")))!;
        Assert.That(e.Message, Does.Contain("weights only").And.Contain("optim.pt"));
    }
}

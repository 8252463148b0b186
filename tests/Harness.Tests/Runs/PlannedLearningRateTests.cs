using System.Globalization;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>harness plan states the rate a run will use, read from OLMo's checkpoints where the schedule resumes them.</summary>
public class PlannedLearningRateTests
{
    private static double FirstRate(string stage) =>
        OlmoMiniature.Expected.GetProperty("checkpoints").GetProperty(stage).GetProperty("first_update_lr").GetDouble();

    private static string Rate(double lr) => lr.ToString("0.####e0", CultureInfo.InvariantCulture);

    private static Scenario With(ScheduleSpec schedule) =>
        new() { Name = "s", Model = new ModelSpec { Checkpoint = OlmoMiniature.Checkpoint("mid") }, Training = new TrainingSpec { Schedule = schedule } };

    [Test]
    public void Rate_of_several_checkpoints_is_the_mean_of_their_first_update_rates()
    {
        string[] stages = ["early", "mid", "late"];
        var text = PlannedLearningRate.Describe(With(new ScheduleSpec { Name = "resume-constant", RateOf = [.. stages.Select(OlmoMiniature.Checkpoint)] }));
        Assert.That(FirstRate("early"), Is.Not.EqualTo(FirstRate("late")), "the stages' rates differ, so the mean is not any one of them by accident");
        Assert.That(text, Does.StartWith($"learning rate: held at {Rate(stages.Average(FirstRate))}, the mean of {Rate(FirstRate("early"))} after step 4"));
    }

    [Test]
    public void A_resumed_schedule_gives_the_checkpoints_own_rate_at_its_step() =>
        Assert.That(PlannedLearningRate.Describe(With(new ScheduleSpec { Name = "resume" })),
            Is.EqualTo($"learning rate: continues OLMo's linear_with_warmup schedule after step 8: {Rate(FirstRate("mid"))} at the first update"));

    [Test]
    public void A_checkpoint_named_by_an_unset_variable_is_read_at_run() =>
        Assert.That(PlannedLearningRate.Describe(new Scenario { Name = "s", Model = new ModelSpec { Checkpoint = "${OLMO_7B_MID}" }, Training = new TrainingSpec { Schedule = new ScheduleSpec { Name = "resume-constant", RateOf = ["${OLMO_7B_MID}"] } } }),
            Does.EndWith("read at run"));
}

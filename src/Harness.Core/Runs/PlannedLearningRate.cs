using System.Globalization;
using Harness.Data.Olmo;
using Harness.Scenarios;

namespace Harness.Runs;

/// <summary>
/// The learning rate a run will use, as <c>harness plan</c> states it before a long job starts: the scenario's own
/// schedule, or, where it resumes OLMo checkpoints' schedules, the rate their config.yaml and train.pt give.
/// </summary>
public static class PlannedLearningRate
{
    public static string Describe(Scenario s)
    {
        var schedule = s.Training.Schedule;
        switch (schedule.Name)
        {
            case "resume-constant" when schedule.RateOf is { Count: > 0 } rateOf:
                var rates = rateOf.Select(Olmo).ToList();
                if (rates.Any(r => r is null)) return $"learning rate: held at the mean of the rates of {string.Join(", ", rateOf)}, read at run";
                var parts = rates.Select(r => $"{Rate(r!.FirstUpdateLearningRate)} after step {r.GlobalStep} of {r.Folder}");
                return $"learning rate: held at {Rate(rates.Average(r => r!.FirstUpdateLearningRate))}, the mean of {string.Join("; ", parts)}";
            case "resume" or "resume-constant":
                var own = Olmo(s.Model.Checkpoint);
                var how = schedule.Name == "resume" ? "continues" : "holds";
                return own is null
                    ? $"learning rate: {how} the schedule of {s.Model.Checkpoint} at its step, read at run"
                    : $"learning rate: {how} OLMo's {own.Config.SchedulerName} schedule after step {own.GlobalStep}: {Rate(own.FirstUpdateLearningRate)} at the first update";
            default:
                return $"learning rate: {schedule.Name} from {Rate(s.Training.Optimizer.Lr)}";
        }
    }

    static OlmoCheckpoint? Olmo(string folder) =>
        Directory.Exists(folder) && OlmoCheckpoint.IsOlmoCheckpoint(folder) ? OlmoCheckpoint.Open(folder) : null;

    static string Rate(double lr) => lr.ToString("0.####e0", CultureInfo.InvariantCulture);
}

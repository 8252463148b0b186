using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Learning rate at an update index: linear warmup, then constant, linear or cosine decay to FinalLrFraction·peak.
/// <see cref="Offset"/> continues a schedule mid-way (a checkpoint's schedule resumed at its step, as the paper does).
/// With <see cref="Olmo"/> set, the rate is OLMo's own scheduler's (an OLMo checkpoint resumed at its step): update u after a
/// checkpoint at step Offset runs at OLMo's rate for step Offset + u + 1, since OLMo counts the step before the update.
/// </summary>
public sealed record LearningRateSchedule(double PeakLr, string Kind, int WarmupSteps, int DecaySteps, double FinalFraction, int Offset = 0,
    Harness.Data.Olmo.OlmoScheduler? Olmo = null)
{
    public static LearningRateSchedule From(OptimizerSpec optimizer, ScheduleSpec schedule, int phaseSteps) =>
        new(optimizer.Lr, schedule.Name, schedule.WarmupSteps,
            schedule.DecaySteps > 0 ? schedule.DecaySteps : Math.Max(1, phaseSteps - schedule.WarmupSteps),
            schedule.FinalLrFraction);

    public double At(int update)
    {
        if (Olmo is not null) return Olmo.LearningRate((long)Offset + update + 1);
        int s = update + Offset;
        if (WarmupSteps > 0 && s < WarmupSteps) return PeakLr * (s + 1) / WarmupSteps;
        double progress = Math.Clamp((s - WarmupSteps) / (double)Math.Max(1, DecaySteps), 0, 1);
        double floor = PeakLr * FinalFraction;
        return Kind switch
        {
            "linear" => PeakLr - (PeakLr - floor) * progress,
            "cosine" => floor + (PeakLr - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => PeakLr,
        };
    }
}

namespace Harness.Data.Olmo;

/// <summary>
/// The learning rate OLMo's trainer sets for an update, from the <c>scheduler</c> and <c>optimizer</c> sections of its
/// config.yaml (OLMo's <c>olmo/optim.py</c>: <c>build_scheduler</c> and each scheduler's <c>get_lr(initial_lr, step,
/// max_steps)</c>). OLMo advances <c>global_step</c> before the update (<c>olmo/train.py</c>, <c>fit</c>), so the update
/// that follows a checkpoint saved at step N runs at <c>LearningRate(N + 1)</c>.
/// </summary>
public sealed record OlmoScheduler(string Name, double InitialLr, int WarmupSteps, double AlphaF, long? TMax, double? WarmupMinLr, long MaxSteps)
{
    public static readonly IReadOnlyList<string> Known =
        ["cosine_with_warmup", "linear_with_warmup", "inverse_sqrt_with_warmup", "max_scheduler", "constant", "cosine_linear_envelope", "constant_with_warmup"];

    /// <summary>The rate OLMo's scheduler gives at <paramref name="step"/> (scheduler units: steps).</summary>
    public double LearningRate(long step)
    {
        switch (Name)
        {
            case "constant":
                return InitialLr;
            case "constant_with_warmup":
                return step < WarmupSteps ? Warmup(step) : InitialLr;
            case "inverse_sqrt_with_warmup":
                return step < WarmupSteps ? Warmup(step) : InitialLr * Math.Sqrt(WarmupSteps / (double)Math.Max(WarmupSteps, step));
            case "max_scheduler":
                return Math.Max((this with { Name = "cosine_with_warmup" }).LearningRate(step), (this with { Name = "inverse_sqrt_with_warmup" }).LearningRate(step));
        }
        long max = TMax ?? MaxSteps;
        double etaMin = InitialLr * AlphaF;
        if (step < WarmupSteps) return Warmup(step);
        if (step >= max) return etaMin;
        double s = step - WarmupSteps, m = max - WarmupSteps;
        return Name switch
        {
            "cosine_with_warmup" => etaMin + (InitialLr - etaMin) * (1 + Math.Cos(Math.PI * s / m)) / 2,
            "linear_with_warmup" => InitialLr - (InitialLr - etaMin) * (s / m),
            "cosine_linear_envelope" => etaMin + (1 - s / m) * (InitialLr - etaMin) * (1 + Math.Cos(Math.PI * s / m)) / 2,
            _ => throw new InputException($"OLMo scheduler '{Name}' is not known; known: {string.Join(", ", Known)}."),
        };
    }

    private double Warmup(long step)
    {
        double min = WarmupMinLr ?? InitialLr * 0.10;
        return min + (InitialLr - min) * Math.Min(step, WarmupSteps) / WarmupSteps;
    }
}

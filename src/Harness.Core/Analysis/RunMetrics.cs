using System.Text.Json.Serialization;
using Harness.Data.Knowledge;

namespace Harness.Analysis;

/// <summary>
/// Everything <c>harness analyze</c> derives from one run. Serialized as <c>metrics.json</c>, whose field names
/// (effectivity: group, depth, mean, n; retainability: group, depth, decay_constant, …) are a contract with the tools
/// that read it. Undefined values are null, never zero (e.g. net effectivity of a run without control items).
/// </summary>
public sealed record RunMetrics
{
    public const string CurrentFormat = "harness-metrics/1";
    public string Format { get; init; } = CurrentFormat;
    public required string Scenario { get; init; }
    /// <summary>Matrix cell of the run (sorted by axis), used to label runs side by side.</summary>
    public required IReadOnlyDictionary<string, string> Cell { get; init; }
    public long TokensPerStep { get; init; }
    /// <summary>Why these metrics cover a run that did not finish (analysed with --partial); absent for a complete run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Partial { get; init; }
    public required AnalysisSettings Analysis { get; init; }
    /// <summary>Groups of never-injected items; empty when the run has none.</summary>
    public required IReadOnlyList<string> ControlGroups { get; init; }
    public required IReadOnlyList<EffectivityMetrics> Effectivity { get; init; }
    public required IReadOnlyList<RetainabilityMetrics> Retainability { get; init; }

    /// <summary>Mean Δℓ per group × depth at every logged step (tables/delta_logprob.csv, plots), not in metrics.json.</summary>
    [JsonIgnore] public IReadOnlyList<StepCurve> DeltaLogProb { get; init; } = [];
    /// <summary>The run broken down by knowledge item, for the finding checks' cluster bootstrap; not in metrics.json.</summary>
    [JsonIgnore] public Inference.RunEvidence? Evidence { get; init; }
    /// <summary>Injection steps per group, for the vertical lines of the Δℓ plots.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, int[]> InjectionSteps { get; init; } = new Dictionary<string, int[]>();

    public EffectivityMetrics? EffectivityOf(string group, Depth depth) =>
        Effectivity.FirstOrDefault(e => e.Group == group && e.Depth == depth.Name());

    public RetainabilityMetrics? RetainabilityOf(string group, Depth depth) =>
        Retainability.FirstOrDefault(e => e.Group == group && e.Depth == depth.Name());
}

/// <summary>Settings the metrics were computed with (from the manifest), so metrics.json explains itself.</summary>
public sealed record AnalysisSettings(int LamWindow, double IqrMultiplier, int FitFrom, int FitTo, int BootstrapResamples, int BootstrapSeed, int FitBinsPerDecade = 0);

/// <summary>A mean with its sample size and 95% bootstrap interval; null mean when nothing was measured.</summary>
public readonly record struct Estimate(double? Mean, int N, double? CiLow, double? CiHigh)
{
    public static readonly Estimate None = new(null, 0, null, null);
}

/// <summary>
/// Effectivity of the k-th encounter (1-based), IQR-filtered over the group's probes, with its 95% bootstrap interval
/// and, where the run has control items, net of the controls' window values at the steps of that encounter.
/// </summary>
public sealed record EncounterEffectivity(int Encounter, double? Mean, int N)
{
    public double? CiLow { get; init; }
    public double? CiHigh { get; init; }
    public double? NetMean { get; init; }
    public double? NetCiLow { get; init; }
    public double? NetCiHigh { get; init; }
}

/// <summary>Pooled effectivity of one group × depth: all probes and encounters, IQR-filtered, then the mean.</summary>
public sealed record EffectivityMetrics
{
    public required string Group { get; init; }
    public required string Depth { get; init; }
    public bool Control { get; init; }
    public double? Mean { get; init; }
    public int N { get; init; }
    public double? CiLow { get; init; }
    public double? CiHigh { get; init; }
    /// <summary>Control items of the same depth measured over the windows of this group's injection steps.</summary>
    public double? ControlMean { get; init; }
    public int? ControlN { get; init; }
    public double? NetMean { get; init; }
    public double? NetCiLow { get; init; }
    public double? NetCiHigh { get; init; }
    /// <summary>ℓ(t_i+1) − ℓ(t_i), pooled like the mean; it does not depend on the window.</summary>
    public double? OneStepGain { get; init; }
    public int OneStepGainN { get; init; }
    /// <summary>The control items' one-step change over the same injection steps, and the 95% bootstrap interval of the difference.</summary>
    public double? ControlOneStepGain { get; init; }
    public double? NetOneStepGainCiLow { get; init; }
    public double? NetOneStepGainCiHigh { get; init; }
    /// <summary>Effectivity on control-adjusted ℓ.</summary>
    public double? AdjustedMean { get; init; }
    public int? AdjustedN { get; init; }
    public IReadOnlyList<EncounterEffectivity> PerEncounter { get; init; } = [];
}

/// <summary>One fit of R̄(t): the power law (OLS of R̄ on log10 t) and two exponentials, each with its RMSE.</summary>
public sealed record RetentionFit
{
    public int Probes { get; init; }
    public int FitPoints { get; init; }
    public double? DecayConstant { get; init; }
    public double? DecayConstantSe { get; init; }
    public double? Intercept { get; init; }
    public double? R2 { get; init; }
    /// <summary>R² of the same line over the unbinned points (equal to <see cref="R2"/> when the fit is not binned).</summary>
    public double? UnbinnedR2 { get; init; }
    public double? XInterceptLog10Steps { get; init; }
    public double? XInterceptLog10Tokens { get; init; }
    public double? PowerLawRmse { get; init; }
    public ExponentialFit? Exponential { get; init; }
    public ExponentialFit? ExponentialOffset { get; init; }
    /// <summary>Each model fitted to the earlier half of the range (in log t) and judged on the later half.</summary>
    public TailPrediction? HeldOut { get; init; }
    /// <summary>R̄(t) at every t that had values (t = 0 included), not in metrics.json.</summary>
    [JsonIgnore] public StepCurve? Curve { get; init; }

    public static readonly RetentionFit Empty = new();
}

/// <summary>
/// ℓ averaged over the window after the last encounter and over the last third of the tail (means over the probes),
/// the per-probe drop early − late after the outlier rule with its 95% bootstrap interval, and whether ℓ was
/// control-adjusted (<see cref="RetentionFall"/>).
/// </summary>
public sealed record GainFall(double Early, double Late, double Drop, int N, double CiLow, double CiHigh, bool Adjusted);

/// <summary>
/// RMSE on the later half of the fit range (in log10 t, from <paramref name="FromT"/>) of the power law and the two
/// exponentials, each fitted on the earlier half only: a comparison that no extra parameter can win by itself.
/// </summary>
public sealed record TailPrediction(double FromT, double PowerLaw, double Exponential, double ExponentialOffset);

/// <summary>A·e^(−k t) + C (C = 0 for the two-parameter fit).</summary>
public sealed record ExponentialFit(double A, double K, double C, double Rmse);

/// <summary>Retainability of one group × depth on raw ℓ and, where the run has control items, on control-adjusted ℓ.</summary>
public sealed record RetainabilityMetrics
{
    public required string Group { get; init; }
    public required string Depth { get; init; }
    [JsonIgnore] public RetentionFit Raw { get; init; } = RetentionFit.Empty;
    [JsonIgnore] public RetentionFit? Adjusted { get; init; }
    /// <summary>How far ℓ falls from the window after the last encounter to the last third of the tail.</summary>
    public GainFall? Fall { get; init; }

    public int NProbes => Raw.Probes;
    public int FitPoints => Raw.FitPoints;
    public double? DecayConstant => Raw.DecayConstant;
    public double? DecayConstantSe => Raw.DecayConstantSe;
    public double? R2 => Raw.R2;
    public double? UnbinnedR2 => Raw.UnbinnedR2;
    public double? XInterceptLog10Steps => Raw.XInterceptLog10Steps;
    public double? XInterceptLog10Tokens => Raw.XInterceptLog10Tokens;
    public double? PowerLawRmse => Raw.PowerLawRmse;
    public double? ExponentialRmse => Raw.Exponential?.Rmse;
    public double? ExponentialOffsetRmse => Raw.ExponentialOffset?.Rmse;
    public ExponentialFit? Exponential => Raw.Exponential;
    public ExponentialFit? ExponentialOffset => Raw.ExponentialOffset;

    public double? AdjustedDecayConstant => Adjusted?.DecayConstant;
    public double? AdjustedDecayConstantSe => Adjusted?.DecayConstantSe;
    public double? AdjustedR2 => Adjusted?.R2;
    public double? AdjustedXInterceptLog10Steps => Adjusted?.XInterceptLog10Steps;
    public double? AdjustedXInterceptLog10Tokens => Adjusted?.XInterceptLog10Tokens;
    public double? AdjustedPowerLawRmse => Adjusted?.PowerLawRmse;
    public double? AdjustedExponentialRmse => Adjusted?.Exponential?.Rmse;
    public double? AdjustedExponentialOffsetRmse => Adjusted?.ExponentialOffset?.Rmse;
}

/// <summary>A curve over steps (or over t since the last encounter), with the number of values behind each point.</summary>
public sealed record StepCurve(string Group, Depth Depth, int[] X, double[] Y, int[] N);

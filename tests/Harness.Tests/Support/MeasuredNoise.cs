using Harness.Analysis;

namespace Harness.Tests.Support;

/// <summary>
/// The noise and drift of real tiny runs, as tests/fixtures/calibration/measure_noise.py measured them on
/// /work/runs/baseline (medians over runs; docs/calibration.md lists every value and the command).
/// </summary>
internal static class MeasuredNoise
{
    /// <summary>Each probe's own AR(1): stationary sd 0.59, per-step φ 0.966 (white part: 0).</summary>
    public const double ProbeSd = 0.59, ProbePhi = 0.966;
    /// <summary>The AR(1) an item's probes share: sd 0.10, φ 0.987 (item-level share of probe variance about 3%).</summary>
    public const double ItemSd = 0.10, ItemPhi = 0.987;
    /// <summary>Sd of a run's drift slope per step between runs of one distribution (seed 21 vs 22, seed 11 vs 12 per stage).</summary>
    public const double DriftSlopeSd = 0.0013;
    /// <summary>Sd of the drift slope between the depths of one run (their control means move together).</summary>
    public const double DepthDriftSlopeSd = 0.00036;
    /// <summary>The control mean's slow wander around its line (RMS of the smoothed residual 0.6; φ chosen 0.99 per step).</summary>
    public const double WalkSd = 0.6, WalkPhi = 0.99;
    /// <summary>Item-level sd of effectivity (duplicate and paraphrase; once) and of the decay constant (same split).</summary>
    public const double ItemEffectivitySd = 0.6, OnceItemEffectivitySd = 1.1, ItemDecaySd = 0.03, OnceItemDecaySd = 0.07;

    /// <summary>The run-level and probe-level components on a spec (item effects belong to its groups).</summary>
    public static SyntheticRunSpec Apply(SyntheticRunSpec spec) => spec with
    {
        ProbeNoiseSd = ProbeSd, ProbeNoisePhi = ProbePhi,
        ItemNoiseSd = ItemSd, ItemNoisePhi = ItemPhi,
        RunDriftSlopeSd = DriftSlopeSd, DepthDriftSlopeSd = DepthDriftSlopeSd,
        RunWalkSd = WalkSd, RunWalkPhi = WalkPhi,
    };
}

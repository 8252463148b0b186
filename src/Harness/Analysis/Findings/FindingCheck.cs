using System.Globalization;
using Harness.Scenarios;

namespace Harness.Analysis.Findings;

/// <summary>
/// Decides a scenario's <c>expect</c> entries from the metrics of its runs (one per matrix cell). Each kind states its
/// statistic; a kind without a check is reported as not evaluable rather than passed.
/// </summary>
public static class FindingCheck
{
    public static FindingVerdict Evaluate(Expectation e, IReadOnlyList<RunMetrics> runs) => e.Kind switch
    {
        "effectivity_positive" => EffectivityPositive(e, runs),
        "acquisition_rises_after_encounter" => AcquisitionRises(e, runs),
        _ => new FindingVerdict(false, $"no check for '{e.Kind}' is implemented yet", ["the finding cannot be evaluated, so it does not pass"]),
    };

    /// <summary>
    /// For every injected group × depth of every run: the 95% bootstrap interval of effectivity net of the control
    /// items lies above 0 (raw effectivity where a run has no controls).
    /// </summary>
    private static FindingVerdict EffectivityPositive(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var depths = Depths(e);
        var evidence = new List<string>();
        bool holds = true;
        foreach (var run in runs)
            foreach (var m in run.Effectivity.Where(m => !m.Control && depths.Contains(m.Depth)))
            {
                bool net = m.NetMean.HasValue;
                double? low = net ? m.NetCiLow : m.CiLow;
                bool ok = low is > 0;
                holds &= ok;
                evidence.Add($"{Label(run)} {m.Group}/{m.Depth}: {(net ? "net " : "")}E = {F(net ? m.NetMean : m.Mean)} " +
                             $"[{F(low)}, {F(net ? m.NetCiHigh : m.CiHigh)}] (raw {F(m.Mean)}, control {F(m.ControlMean)}, n = {m.N}) {(ok ? "✓" : "✗")}");
            }
        if (evidence.Count == 0) return new FindingVerdict(false, "no injected group × depth to test", []);
        return new FindingVerdict(holds, "95% bootstrap CI of net effectivity above 0 for every injected group × depth", evidence);
    }

    /// <summary>
    /// Δℓ rises right after each encounter and then falls: the 95% bootstrap interval of the one-step gain
    /// ℓ(t_i+1) − ℓ(t_i) minus the control items' change over the same steps lies above 0, and R̄ after the last
    /// encounter ends below 1. Without controls the gain's own interval is not available, so the finding cannot pass.
    /// </summary>
    private static FindingVerdict AcquisitionRises(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var depths = Depths(e);
        var evidence = new List<string>();
        bool holds = true;
        foreach (var run in runs)
            foreach (var m in run.Effectivity.Where(m => !m.Control && depths.Contains(m.Depth)))
            {
                var curve = run.Retainability.FirstOrDefault(r => r.Group == m.Group && r.Depth == m.Depth)?.Raw.Curve;
                double? last = curve is { Y.Length: > 0 } ? curve.Y[^1] : null;
                bool rises = m.NetOneStepGainCiLow is > 0;
                bool falls = last is < 1;
                holds &= rises && falls;
                evidence.Add($"{Label(run)} {m.Group}/{m.Depth}: one-step gain {F(m.OneStepGain)} vs control {F(m.ControlOneStepGain)}, " +
                             $"difference CI [{F(m.NetOneStepGainCiLow)}, {F(m.NetOneStepGainCiHigh)}] {(rises ? "✓" : "✗")}; R̄ at the last step {F(last)} {(falls ? "✓" : "✗")}");
            }
        if (evidence.Count == 0) return new FindingVerdict(false, "no injected group × depth to test", []);
        return new FindingVerdict(holds, "95% bootstrap CI of (one-step gain − controls' one-step change) above 0, and R̄(last) < 1, for every injected group × depth", evidence);
    }

    private static IReadOnlySet<string> Depths(Expectation e) =>
        (e.Parameters.TryGetValue("depths", out var d) ? d : "memorization,semantic,composition")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    private static string Label(RunMetrics run) =>
        run.Cell.Count == 0 ? run.Scenario : string.Join(",", run.Cell.Select(c => $"{c.Key}={c.Value}"));

    private static string F(double? v) => v is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}

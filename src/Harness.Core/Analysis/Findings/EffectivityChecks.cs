using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingCheck;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>Findings about each run on its own: acquisition happens (parameters <c>depths</c>, default all three, and <c>groups</c>).</summary>
internal static class EffectivityChecks
{
    private static readonly Depth[] AllDepths = Enum.GetValues<Depth>();

    /// <summary>
    /// For every injected group × depth of every run: the 95% bootstrap interval of effectivity net of the control
    /// items lies above 0 (raw effectivity where a run has no controls).
    /// </summary>
    public static FindingVerdict Positive(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var evidence = new List<string>();
        var values = new List<double?>();
        bool holds = true;
        int above = 0;
        bool allNet = true;
        foreach (var (run, m) in Entries(p, runs))
        {
            bool net = m.NetMean.HasValue;
            double? low = net ? m.NetCiLow : m.CiLow;
            bool ok = low is > 0;
            holds &= ok;
            if (ok) above++;
            values.Add(net ? m.NetMean : m.Mean);
            allNet &= net;
            evidence.Add($"{Label(run)} {m.Group}/{m.Depth}: {(net ? "net " : "")}E = {F(net ? m.NetMean : m.Mean)} " +
                         $"[{F(low)}, {F(net ? m.NetCiHigh : m.CiHigh)}] (raw {F(m.Mean)}, control {F(m.ControlMean)}, n = {m.N}) {(ok ? "✓" : "✗")}");
        }
        if (evidence.Count == 0) return FindingVerdict.Undecided("no injected group × depth to test");
        return new FindingVerdict(holds, "95% bootstrap CI of net effectivity above 0 for every injected group × depth", evidence)
        {
            Headline = $"{(allNet ? "net E" : "E")} {Range(values)}; CI above 0 in {above} of {evidence.Count}",
        };
    }

    /// <summary>
    /// Δℓ rises right after each encounter and then falls. Rises: the 95% bootstrap interval of the one-step gain
    /// ℓ(t_i+1) − ℓ(t_i) minus the never-injected controls' change over the same steps lies above 0. Falls: the 95%
    /// bootstrap interval of the per-probe drop from ℓ averaged over the window after the last encounter to ℓ averaged
    /// over the last third of the tail lies above 0, on control-adjusted ℓ (<see cref="GainFall"/>; means, not a window
    /// maximum or a ratio, so noise alone does not make a fall). Without controls the finding cannot pass.
    /// </summary>
    public static FindingVerdict AcquisitionRises(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var evidence = new List<string>();
        bool holds = true;
        int rose = 0, fell = 0;
        foreach (var (run, m) in Entries(p, runs))
        {
            var fall = run.Retainability.FirstOrDefault(x => x.Group == m.Group && x.Depth == m.Depth)?.Fall;
            bool rises = m.NetOneStepGainCiLow is > 0;
            bool falls = fall is { Adjusted: true, CiLow: > 0 };
            holds &= rises && falls;
            if (rises) rose++;
            if (falls) fell++;
            evidence.Add($"{Label(run)} {m.Group}/{m.Depth}: one-step gain {F(m.OneStepGain)} vs control {F(m.ControlOneStepGain)}, " +
                         $"difference CI [{F(m.NetOneStepGainCiLow)}, {F(m.NetOneStepGainCiHigh)}] {(rises ? "✓" : "✗")}; " +
                         $"{(fall is { Adjusted: false } ? "raw" : "adjusted")} ℓ after the last encounter {F(fall?.Early)}, in the last third of the tail {F(fall?.Late)}: " +
                         $"drop {F(fall?.Drop)} [{F(fall?.CiLow)}, {F(fall?.CiHigh)}] {(falls ? "✓" : "✗")}");
        }
        if (evidence.Count == 0) return FindingVerdict.Undecided("no injected group × depth to test");
        return new FindingVerdict(holds, "95% bootstrap CI of (one-step gain − controls' one-step change) above 0, and 95% bootstrap CI " +
            "of the drop of control-adjusted ℓ from the window after the last encounter to the last third of the tail above 0, " +
            "for every injected group × depth", evidence)
        {
            Headline = $"rises in {rose} of {evidence.Count}, falls in {fell} of {evidence.Count} group × depth cells",
        };
    }

    private static IEnumerable<(RunMetrics Run, EffectivityMetrics M)> Entries(FindingParameters p, IReadOnlyList<RunMetrics> runs)
    {
        var depths = p.Depths(AllDepths).Select(d => d.Name()).ToHashSet();
        var groups = p.Groups(runs).ToHashSet();
        return runs.SelectMany(run => run.Effectivity.Where(m => !m.Control && groups.Contains(m.Group) && depths.Contains(m.Depth)).Select(m => (run, m)));
    }
}

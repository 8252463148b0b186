using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingCheck;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>
/// Findings that compare effectivity between cells of an axis or between encounters. Each comparison uses effectivity
/// net of the control items where both sides have it (raw otherwise), with SE = (CI high − CI low)/3.92 from its 95%
/// bootstrap interval; K differences pool as D = mean, SE = sqrt(Σ se²)/K. Default depths: memorization and semantic.
/// </summary>
internal static class EffectivityComparisons
{
    private static readonly Depth[] DefaultDepths = [Depth.Memorization, Depth.Semantic];
    private const string SeNote = "SE = (95% CI high − low)/3.92 of net effectivity (raw where a run has no controls); pooled D = mean, SE = sqrt(Σ se²)/K";

    /// <summary>
    /// First against last label of the axis: D = E(last) − E(first) per injected group × depth, pooled. Holds when the
    /// gain is not significant (D − 1.645·SE ≤ 0) and, with <c>margin</c>, when |D| + 1.645·SE &lt; margin.
    /// </summary>
    public static FindingVerdict IndependentOf(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        double? margin = p.Has("margin") ? p.Number("margin") : null;
        if (margin is <= 0) throw new FindingParameterException($"{e.Kind}: 'margin' should be above 0");
        var (first, last) = (cells.Labels[0], cells.Labels[^1]);
        var evidence = new List<string>();
        var diffs = Differences(p, runs, cells, last, first, evidence);
        if (diffs.Count == 0) return Nothing(evidence);
        var pooled = PooledDifference.Of(diffs);
        bool noGain = pooled.Lower <= 0;
        bool equivalent = margin is not { } x || Math.Abs(pooled.D) + Z95OneSided * pooled.Se < x;
        evidence.Add($"{pooled}: gain not significant (D − 1.645·SE ≤ 0) {(noGain ? "✓" : "✗")}" +
                     (margin is { } mm ? $"; |D| + 1.645·SE = {F(Math.Abs(pooled.D) + Z95OneSided * pooled.Se)} < margin {F(mm)} {(equivalent ? "✓" : "✗")}" : ""));
        return new FindingVerdict(noGain && equivalent,
            $"D = E({cells.Axis}={last}) − E({cells.Axis}={first}) pooled over injected group × depth; holds when D − 1.645·SE ≤ 0 (no significant gain, one-sided 5%)" +
            (margin is { } m ? $" and |D| + 1.645·SE < {F(m)} (equivalence)" : "") + $"; {SeNote}", evidence)
        {
            Headline = $"{cells.Axis} {last} − {first}: {pooled.Headline}" + (margin is { } mh ? $", |D| + 1.645·SE = {F(Math.Abs(pooled.D) + Z95OneSided * pooled.Se)} vs {F(mh)}" : ""),
        };
    }

    /// <summary>The labelled cell against every other label: pooled D = E(label) − E(other) &gt; 0 at one-sided 5% for each.</summary>
    public static FindingVerdict HigherFor(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        var label = cells.Label(e.Kind, p.Required("label"));
        var evidence = new List<string>();
        var headline = new List<string>();
        bool holds = true;
        foreach (var other in cells.Labels.Where(l => l != label))
        {
            var diffs = Differences(p, runs, cells, label, other, evidence);
            if (diffs.Count == 0) return Nothing(evidence);
            var pooled = PooledDifference.Of(diffs);
            holds &= pooled.SignificantlyPositive;
            headline.Add($"{label} − {other}: {pooled.Headline}");
            evidence.Add($"{cells.Axis}={label} vs {other}: {pooled} {(pooled.SignificantlyPositive ? "✓" : "✗")}");
        }
        return new FindingVerdict(holds,
            $"D = E({cells.Axis}={label}) − E(other) pooled over injected group × depth; holds when D − 1.645·SE > 0 against every other {cells.Axis} (one-sided 5%); {SeNote}", evidence)
        {
            Headline = string.Join("; ", headline),
        };
    }

    /// <summary>
    /// Per depth: D = E₁(group) − mean over k ≥ 2 of E_k(than), SE = sqrt(se₁² + Σ se_k²/K²), pooled over runs; holds when
    /// D − 1.645·SE &gt; 0 at every depth.
    /// </summary>
    public static FindingVerdict FirstEncounterMostEffective(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var (group, than) = (p.Group("group", runs), p.Group("than", runs));
        var evidence = new List<string>();
        var headline = new List<string>();
        bool holds = true;
        foreach (var depth in p.Depths(DefaultDepths))
        {
            var diffs = new List<Difference>();
            foreach (var run in runs)
            {
                var (a, b) = (run.EffectivityOf(group, depth), run.EffectivityOf(than, depth));
                if (a is null || b is null) { evidence.Add($"{Label(run)} {depth.Name()}: no effectivity of {(a is null ? group : than)}, skipped"); continue; }
                var later = b.PerEncounter.Skip(1).ToList();
                bool net = a.PerEncounter.Count > 0 && a.PerEncounter[0].NetMean.HasValue && later.Count > 0 && later.All(x => x.NetMean.HasValue);
                var first = a.PerEncounter.Count > 0 ? Value(a.PerEncounter[0], net) : null;
                var rest = later.Select(x => Value(x, net)).ToList();
                if (first is null || rest.Count == 0 || rest.Any(r => r is null))
                {
                    evidence.Add($"{Label(run)} {depth.Name()}: {group} encounter 1 or {than} encounters 2..{b.PerEncounter.Count} lack a value or interval, skipped");
                    continue;
                }
                var (e1, se1) = first.Value;
                int k = rest.Count;
                double mean = rest.Average(r => r!.Value.Mean);
                double se = Math.Sqrt(se1 * se1 + rest.Sum(r => r!.Value.Se * r.Value.Se) / (k * (double)k));
                var d = new Difference($"{Label(run)} {depth.Name()}", e1 - mean, se);
                diffs.Add(d);
                evidence.Add($"{d.Label}: {(net ? "net " : "")}E₁({group}) = {F(e1)} ± {F(se1)}, mean E₂..{k + 1}({than}) = {F(mean)} " +
                             $"({string.Join(", ", rest.Select(r => F(r!.Value.Mean)))}) → D = {F(d.D)} ± {F(d.Se)}");
            }
            if (diffs.Count == 0) return Nothing(evidence);
            var pooled = PooledDifference.Of(diffs);
            holds &= pooled.SignificantlyPositive;
            headline.Add($"{depth.Name()} {pooled.Headline}");
            evidence.Add($"{depth.Name()}: {pooled} {(pooled.SignificantlyPositive ? "✓" : "✗")}");
        }
        return new FindingVerdict(holds,
            $"per depth D = E₁({group}) − mean of E₂..E_k({than}), SE = sqrt(se₁² + Σ se_k²/K²), pooled over runs; holds when D − 1.645·SE > 0 at every depth (one-sided 5%); " +
            "SE = (95% CI high − low)/3.92 of each encounter's net effectivity (raw without controls)", evidence)
        {
            Headline = string.Join("; ", headline),
        };
    }

    /// <summary>E(of) − E(other) for every matching run pair × group × depth, each difference added to the evidence.</summary>
    private static List<Difference> Differences(FindingParameters p, IReadOnlyList<RunMetrics> runs, AxisCells cells, string of, string other, List<string> evidence)
    {
        var groups = p.Groups(runs);
        var depths = p.Depths(DefaultDepths);
        var diffs = new List<Difference>();
        foreach (var pair in cells.Pairs(of, other))
            foreach (var g in groups)
                foreach (var d in depths)
                {
                    string label = $"{cells.Axis}: {of} − {other}{(pair.Rest.Length > 0 ? $" [{pair.Rest}]" : "")} {g}/{d.Name()}";
                    var (a, b) = (pair.Of.EffectivityOf(g, d), pair.Other.EffectivityOf(g, d));
                    bool net = a?.NetMean is not null && b?.NetMean is not null;
                    if (a is null || b is null || Value(a, net) is not { } va || Value(b, net) is not { } vb)
                    {
                        evidence.Add($"{label}: no effectivity with an interval on one side, skipped");
                        continue;
                    }
                    var diff = new Difference(label, va.Mean - vb.Mean, CombinedSe(va.Se, vb.Se));
                    diffs.Add(diff);
                    evidence.Add($"{label}: {(net ? "net " : "")}E {F(va.Mean)} ± {F(va.Se)} − {F(vb.Mean)} ± {F(vb.Se)} → D = {F(diff.D)} ± {F(diff.Se)}");
                }
        return diffs;
    }

    private static (double Mean, double Se)? Value(EffectivityMetrics m, bool net) =>
        Pair(net ? m.NetMean : m.Mean, net ? SeFromCi(m.NetCiLow, m.NetCiHigh) : SeFromCi(m.CiLow, m.CiHigh));

    private static (double Mean, double Se)? Value(EncounterEffectivity m, bool net) =>
        Pair(net ? m.NetMean : m.Mean, net ? SeFromCi(m.NetCiLow, m.NetCiHigh) : SeFromCi(m.CiLow, m.CiHigh));

    private static (double, double)? Pair(double? mean, double? se) => mean is { } x && se is { } s ? (x, s) : null;

    private static FindingVerdict Nothing(List<string> evidence) => FindingVerdict.Undecided("nothing to compare: no pair of runs had both sides", evidence);
}

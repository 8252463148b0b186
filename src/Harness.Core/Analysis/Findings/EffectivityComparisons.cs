using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>
/// Findings that compare net effectivity between cells of an axis or between encounters. A difference is computed
/// inside each replicate (seed), between runs that agree on every other axis, and averaged over injected group × depth
/// (default depths: memorization and semantic); the cluster bootstrap gives its one-sided 5% bounds.
/// </summary>
internal static class EffectivityComparisons
{
    private static readonly Depth[] DefaultDepths = [Depth.Memorization, Depth.Semantic];

    /// <summary>
    /// Non-superiority of later cells (finding 2): for every pair of labels in axis order, D = E(later) − E(earlier);
    /// holds when every upper bound is below <c>margin</c>, i.e. no pair gains as much as the margin.
    /// </summary>
    public static FindingVerdict IndependentOf(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        double margin = p.Number("margin");
        if (margin <= 0) throw new FindingParameterException($"{e.Kind}: 'margin' should be above 0");
        var quantities = new List<Quantity>();
        for (int i = 0; i < cells.Labels.Count; i++)
            for (int j = i + 1; j < cells.Labels.Count; j++)
                quantities.Add(Difference(p, runs, cells.Axis, cells.Labels[j], cells.Labels[i], 1));
        var est = Estimate(runs, quantities);
        var evidence = new List<string>();
        bool holds = true;
        foreach (var x in est)
        {
            // The opposite claim: a gain beyond the margin, every lower bound above it.
            bool ok = sign > 0 ? x.Upper < margin : x.Lower > margin;
            holds &= ok;
            evidence.Add($"{x}: {(sign > 0 ? $"upper {F(x.Upper)} < margin {F(margin)}" : $"lower {F(x.Lower)} > margin {F(margin)}")} {(ok ? "✓" : "✗")}");
        }
        if (est.Any(x => double.IsNaN(x.Estimate))) return FindingVerdict.Undecided("a pair of cells has no effectivity on both sides", evidence);
        var worst = est.MaxBy(x => x.Upper)!;
        return new FindingVerdict(holds,
            (sign > 0 ? $"non-superiority: for every pair of {cells.Axis} labels in order, D = E(later) − E(earlier) (net, averaged over injected group × depth) has its upper bound below the margin {F(margin)}"
                      : $"opposite: some later {cells.Axis} gains more than the margin {F(margin)} (every lower bound above it)") + $"; {Scheme}", evidence)
        { Headline = $"largest upper bound of a gain: {worst} (margin {F(margin)})", Estimates = est };
    }

    /// <summary>The labelled cell against every other label: D = E(label) − E(other), lower bound above 0 for each.</summary>
    public static FindingVerdict HigherFor(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        var label = cells.Label(e.Kind, p.Required("label"));
        var quantities = cells.Labels.Where(l => l != label).Select(other => Difference(p, runs, cells.Axis, label, other, sign)).ToList();
        return AllAbove(Estimate(runs, quantities), $"net effectivity of {cells.Axis}={label} above every other {cells.Axis}'s (D = E({label}) − E(other), averaged over injected group × depth)", sign);
    }

    /// <summary>
    /// Per depth: D = the first encounter's gain of <c>group</c> − the mean of <c>than</c>'s gains at encounters 2..k,
    /// each the one-step gain ℓ(t_i+1) − ℓ(t_i) net of the controls' one-step change at the same steps. A window
    /// maximum picks up more noise on a first encounter than on later ones, and a window mean also counts the decay of
    /// what earlier encounters left, which is larger before a later encounter; one step after the update does neither.
    /// </summary>
    public static FindingVerdict FirstEncounterMostEffective(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var (group, than) = (p.Group("group", runs), p.Group("than", runs));
        var quantities = p.Depths(DefaultDepths).Select(depth => new Quantity($"{depth.Name()}: gain₁({group}) − mean gain₂..({than})", (r, d) =>
            sign * MeanOf(r.Runs.Select(run =>
            {
                if (run.Evidence?.Of(group, depth) is not { } a || run.Evidence.Of(than, depth) is not { } b || b.EncounterGain.Length < 2) return double.NaN;
                var later = MeanOf(Enumerable.Range(1, b.EncounterGain.Length - 1).Select(k => b.NetEncounterGain(k, d)));
                return a.NetEncounterGain(0, d) - later;
            })))).ToList();
        return AllAbove(Estimate(runs, quantities), $"the first encounter's one-step gain of {group} above the mean of {than}'s later encounters', net of the controls', at every depth", sign);
    }

    /// <summary>D = E(of) − E(other) inside a replicate, over runs that agree on every other axis, averaged over injected group × depth.</summary>
    private static Quantity Difference(FindingParameters p, IReadOnlyList<RunMetrics> runs, string axis, string of, string other, double sign)
    {
        var groups = p.Groups(runs);
        var depths = p.Depths(DefaultDepths);
        var conditions = Conditions(runs, axis);
        return new Quantity($"{axis}: E({of}) − E({other})", (r, d) => sign * MeanOf(
            from c in conditions
            let a = RunsOf(r, c, axis, of).FirstOrDefault()
            let b = RunsOf(r, c, axis, other).FirstOrDefault()
            where a is not null && b is not null
            from g in groups
            from depth in depths
            let ea = a.Evidence?.Of(g, depth)
            let eb = b.Evidence?.Of(g, depth)
            where ea is not null && eb is not null
            select ea.NetEffectivity(d) - eb.NetEffectivity(d)));
    }
}

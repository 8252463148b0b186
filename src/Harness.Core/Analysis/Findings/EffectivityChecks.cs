using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>Findings about each condition on its own: acquisition happens (parameters <c>depths</c>, default all three, and <c>groups</c>).</summary>
internal static class EffectivityChecks
{
    private static readonly Depth[] AllDepths = Enum.GetValues<Depth>();

    /// <summary>
    /// Every injected group × depth of every condition (cell without seed): net effectivity (E minus the control items'
    /// window values over the group's steps; E itself without controls) has its lower bound above 0.
    /// </summary>
    public static FindingVerdict Positive(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var quantities = Cells(p, runs).Select(c => new Quantity($"{Named(c.Condition)}{c.Group}/{c.Depth.Name()} net E",
            (r, d) => Evidence(r, c) is { } g ? sign * g.NetEffectivity(d) : double.NaN)).ToList();
        if (quantities.Count == 0) return FindingVerdict.Undecided("no injected group × depth to test");
        var est = Estimate(runs, quantities);
        return AllAbove(est, "net effectivity above 0 for every injected group × depth", sign);
    }

    /// <summary>
    /// Rises: the one-step gain ℓ(t_i+1) − ℓ(t_i) minus the controls' one-step change over the same steps, lower bound
    /// above 0. Falls: the drop of ℓ from the window after the last encounter to the last third of the tail, minus the
    /// controls' drop over the same spans, lower bound above 0 (means, not a window maximum or a ratio, so noise alone
    /// makes no fall). For every injected group × depth of every condition; without controls it cannot pass.
    /// </summary>
    public static FindingVerdict AcquisitionRises(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var quantities = new List<Quantity>();
        foreach (var c in Cells(p, runs))
        {
            quantities.Add(new($"{Named(c.Condition)}{c.Group}/{c.Depth.Name()} one-step gain − controls'", (r, d) => Evidence(r, c) is { } g ? sign * g.NetOneStepGain(d) : double.NaN));
            quantities.Add(new($"{Named(c.Condition)}{c.Group}/{c.Depth.Name()} fall after the last encounter − controls'", (r, d) => Evidence(r, c) is { } g ? sign * g.NetDrop(d) : double.NaN));
        }
        if (quantities.Count == 0) return FindingVerdict.Undecided("no injected group × depth to test");
        return AllAbove(Estimate(runs, quantities), "the one-step gain and the fall after the last encounter, each net of the controls', above 0 for every injected group × depth", sign);
    }

    internal sealed record Cell(string Condition, string Group, Depth Depth);

    private static IEnumerable<Cell> Cells(FindingParameters p, IReadOnlyList<RunMetrics> runs)
    {
        var depths = p.Depths(AllDepths);
        var groups = p.Groups(runs);
        foreach (var condition in Conditions(runs))
            foreach (var g in groups)
                foreach (var d in depths)
                    if (runs.Any(r => Replicate.Condition(r) == condition && r.Evidence?.Of(g, d) is not null))
                        yield return new Cell(condition, g, d);
    }

    private static GroupEvidence? Evidence(Replicate r, Cell c) => RunsOf(r, c.Condition).FirstOrDefault()?.Evidence?.Of(c.Group, c.Depth);
}

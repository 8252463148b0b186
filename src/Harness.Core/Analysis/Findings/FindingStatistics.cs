using System.Globalization;
using Harness.Analysis.Inference;

namespace Harness.Analysis.Findings;

/// <summary>The small pieces the finding checks share: the cluster bootstrap of their quantities, and number formatting.</summary>
public static class FindingStatistics
{
    /// <summary>Quantities of <paramref name="runs"/> by the cluster bootstrap, at the runs' own resample count and seed.</summary>
    internal static IReadOnlyList<Estimated> Estimate(IReadOnlyList<RunMetrics> runs, IReadOnlyList<Quantity> quantities)
    {
        if (runs.Any(r => r.Evidence is null))
            throw new FindingParameterException("the runs carry no per-item evidence (metrics.json alone cannot be resampled; analyse the run directory)");
        var s = runs[0].Analysis;
        return ClusterBootstrap.Estimate(Replicate.Of(runs), quantities, s.BootstrapResamples, s.BootstrapSeed);
    }

    /// <summary>The runs of a replicate in one condition (cell without seed), optionally with <paramref name="axis"/> = <paramref name="label"/>.</summary>
    internal static IEnumerable<RunMetrics> RunsOf(Replicate r, string condition, string? axis = null, string? label = null) =>
        r.Runs.Where(x => Replicate.Condition(x, axis is null ? [] : [axis]) == condition && (axis is null || x.Cell[axis] == label));

    /// <summary>The distinct conditions of the runs (cell without seed and without <paramref name="without"/>), in order.</summary>
    internal static IReadOnlyList<string> Conditions(IReadOnlyList<RunMetrics> runs, params string[] without) =>
        runs.Select(r => Replicate.Condition(r, without)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The verdict of a claim that every quantity is above 0: each one-sided 5% lower bound above 0.</summary>
    internal static FindingVerdict AllAbove(IReadOnlyList<Estimated> est, string claim, double sign)
    {
        var evidence = est.Select(x => $"{x} {(x.Lower > 0 ? "✓" : "✗")}").ToList();
        if (est.Any(x => double.IsNaN(x.Estimate)))
            return FindingVerdict.Undecided($"{est.First(x => double.IsNaN(x.Estimate)).Key} has no value (no control items, or nothing measured)", evidence);
        bool holds = est.All(x => x.Lower > 0);
        var weakest = est.MinBy(x => x.Lower)!;
        return new FindingVerdict(holds, $"{(sign < 0 ? "opposite: " : "")}{claim}: every lower bound > 0; {Scheme}", evidence)
        { Headline = $"lowest bound: {weakest}; {est.Count(x => x.Lower > 0)} of {est.Count} above 0", Estimates = est };
    }

    /// <summary>Mean of the defined values (NaN when none); −∞ anywhere makes the mean −∞.</summary>
    internal static double MeanOf(IEnumerable<double> values) => ClusterBootstrap.MeanOf(values);

    internal static string Named(string condition) => condition.Length > 0 ? $"[{condition}] " : "";

    public static string F(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    internal const string Scheme = "cluster bootstrap (seeds, their spread scaled by √(S/(S − 1)), then the schedule's slots: the j-th item of every group with all its probes, depths and encounters; control items as their own stratum), one-sided 5% bounds";
}

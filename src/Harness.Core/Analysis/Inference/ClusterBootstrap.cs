using MathNet.Numerics.Statistics;

namespace Harness.Analysis.Inference;

/// <summary>A quantity a finding tests, computed from one replicate under one draw of item weights (NaN: not defined there).</summary>
public sealed record Quantity(string Key, Func<Replicate, Draw, double> Value);

/// <summary>
/// A quantity's estimate (the mean over replicates of the full sample) and its bootstrap distribution's one-sided 5%
/// bounds. <paramref name="Undefined"/> counts the resamples where it had no value.
/// </summary>
public sealed record Estimated(string Key, double Estimate, double Lower, double Upper, int Resamples, int Undefined)
{
    public override string ToString() => $"{Key}: {F(Estimate)} [{F(Lower)}, {F(Upper)}]";

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The cluster bootstrap of the finding checks. Each resample draws seeds with replacement (when there are two or more),
/// then, inside each drawn seed, the schedule's slots with replacement (<see cref="Replicate"/>: the j-th item of every
/// group, each with all its probes, depths and encounters; control items as their own stratum), and recomputes every
/// quantity from the per-item sums:
/// comparisons between groups, depths or cells of one seed see the same draw, so they are paired. A quantity's value in
/// a resample is the mean over the drawn seeds. Each resample has its own SplitMix stream from (seed, index), so the
/// bounds do not depend on how many threads compute them.
/// <para>
/// Drawing S seeds with replacement spreads their mean by (S − 1)/S of their sample variance over S, half of it at two
/// seeds. So each drawn seed's deviation from the mean of the seeds' full-sample values is scaled by √(S/(S − 1))
/// (<see cref="SeedSpread"/>), which makes the seed level's bootstrap variance the unbiased one, while the item draw
/// inside the seed adds its own spread on top.
/// </para>
/// </summary>
public static class ClusterBootstrap
{
    public const double OneSidedLevel = 0.05;

    public static IReadOnlyList<Estimated> Estimate(IReadOnlyList<Replicate> replicates, IReadOnlyList<Quantity> quantities, int resamples, int seed)
    {
        int q = quantities.Count;
        var full = replicates.Select(r =>
        {
            var all = Draw.Full(r);
            return quantities.Select(k => k.Value(r, all)).ToArray();
        }).ToArray();
        var estimate = new double[q];
        for (int k = 0; k < q; k++) estimate[k] = MeanOf(full.Select(f => f[k]));
        double spread = SeedSpread(replicates.Count);
        var draws = new double[q][];
        for (int k = 0; k < q; k++) draws[k] = new double[resamples];
        Parallel.For(0, resamples, r =>
        {
            var rng = new SplitMix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)r * 0xD1B54A32D192ED03UL));
            var picked = new int[replicates.Count];
            for (int i = 0; i < picked.Length; i++)
                picked[i] = replicates.Count > 1 ? (int)rng.Below((uint)replicates.Count) : i;
            var d = new Draw[picked.Length];
            for (int i = 0; i < picked.Length; i++) d[i] = Draw.Resample(replicates[picked[i]], ref rng);
            for (int k = 0; k < q; k++)
            {
                double sum = 0;
                int n = 0;
                for (int i = 0; i < picked.Length; i++)
                {
                    int s = picked[i];
                    double v = quantities[k].Value(replicates[s], d[i]), m = full[s][k];
                    if (double.IsNaN(v)) continue;
                    sum += double.IsFinite(m) && double.IsFinite(estimate[k]) ? v + (spread - 1) * (m - estimate[k]) : v;
                    n++;
                }
                draws[k][r] = n > 0 ? sum / n : double.NaN;
            }
        });
        var result = new Estimated[q];
        for (int k = 0; k < q; k++)
        {
            // −∞ marks a resample where the tested quantity fails outright (e.g. no x-intercept): it stays in and counts
            // against a lower bound; NaN (no value) is left out and counted.
            var all = draws[k].Where(v => !double.IsNaN(v)).ToArray();
            Array.Sort(all);
            int undefined = resamples - all.Length;
            result[k] = all.Length == 0
                ? new Estimated(quantities[k].Key, estimate[k], double.NaN, double.NaN, resamples, undefined)
                : new Estimated(quantities[k].Key, estimate[k], Quantile(all, OneSidedLevel), Quantile(all, 1 - OneSidedLevel), resamples, undefined);
        }
        return result;
    }

    /// <summary>The factor on a drawn seed's deviation that makes the seed level's bootstrap variance unbiased: √(S/(S − 1)); 1 for one seed.</summary>
    public static double SeedSpread(int seeds) => seeds > 1 ? Math.Sqrt(seeds / (seeds - 1.0)) : 1.0;

    /// <summary>Mean of the values that are not NaN (NaN when none); −∞ anywhere makes it −∞.</summary>
    internal static double MeanOf(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }
        return n > 0 ? sum / n : double.NaN;
    }

    /// <summary>R-7 quantile of sorted values that may hold ±∞ at the ends.</summary>
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int i = (int)Math.Floor(h);
        if (i + 1 >= sorted.Length) return sorted[^1];
        double a = sorted[i], b = sorted[i + 1];
        return a == b || double.IsInfinity(a) || double.IsInfinity(b) ? (h - i < 0.5 ? a : b) : a + (h - i) * (b - a);
    }
}

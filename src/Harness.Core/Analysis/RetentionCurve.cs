using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// R(q, t) = [ℓ(t_LAM,N + t) − ℓ(θ_0)] / [ℓ(t_LAM,N) − ℓ(θ_0)] after each item's own last encounter N, and
/// R̄(t) = the IQR-filtered mean over the probes of a group × depth at each t (ℓ interpolated linearly between logged
/// steps). θ_0 is the first logged
/// step. Probes with a zero (or undefined) denominator are skipped.
/// </summary>
public static class RetentionCurve
{
    public static StepCurve Compute(Trajectory tr, IReadOnlyList<int> probes, int[][] encounters, int window, double multiplier,
        string group, Depth depth, out int usedProbes) =>
        Compute(tr, probes, encounters, window, multiplier, group, depth, out usedProbes, null, 0, default, out _);

    /// <summary>
    /// As above, and with <paramref name="itemOf"/> (per probe of <paramref name="probes"/>, its item's index below
    /// <paramref name="items"/>) the same curve by item over the points of the power-law fit (<paramref name="fit"/>:
    /// from, to, bins per decade): each item's sum and count of the values each t keeps.
    /// </summary>
    public static StepCurve Compute(Trajectory tr, IReadOnlyList<int> probes, int[][] encounters, int window, double multiplier,
        string group, Depth depth, out int usedProbes, int[]? itemOf, int items, (int From, int To, int BinsPerDecade) fit, out ItemCurve? byItem)
    {
        byItem = null;
        var lam = new List<(int Probe, int LamIndex, double Denominator)>();
        var lamItem = new List<int>();
        for (int pi = 0; pi < probes.Count; pi++)
        {
            int p = probes[pi];
            var enc = encounters[p];
            if (enc.Length == 0) continue;
            if (!EncounterWindow.TryEffectivity(tr, p, enc[^1], window, out _, out int li)) continue;
            double d = tr[p, li] - tr[p, 0];
            if (d == 0 || double.IsNaN(d)) continue;
            lam.Add((p, li, d));
            lamItem.Add(itemOf?[pi] ?? 0);
        }
        usedProbes = lam.Count;
        if (lam.Count == 0) return new StepCurve(group, depth, [], [], []);

        // Counting sort of (t, R) by t: one pass to count, one to place; no per-t lists. Between two logged steps ℓ is
        // interpolated linearly, so every probe has a value at every t: with log-spaced evaluation the probes' own
        // last encounters fall at different steps, and without it each late t would hold one or two probes' R.
        int last = tr.Steps[^1];
        int maxT = last - lam.Min(l => tr.Steps[l.LamIndex]);
        var counts = new int[maxT + 2];
        foreach (var (_, li, _) in lam)
            for (int t = 0; t <= last - tr.Steps[li]; t++) counts[t + 1]++;
        for (int t = 1; t < counts.Length; t++) counts[t] += counts[t - 1];
        var values = new double[counts[^1]];
        var owner = itemOf is null ? null : new int[values.Length];
        var fill = (int[])counts.Clone();
        for (int q = 0; q < lam.Count; q++)
        {
            var (p, li, d) = lam[q];
            var row = tr.Row(p);
            double l0 = row[0];
            int s0 = tr.Steps[li];
            for (int j = li; j < tr.StepCount; j++)
            {
                double v = row[j];
                if (double.IsNaN(v)) continue;
                if (owner is not null) owner[fill[tr.Steps[j] - s0]] = lamItem[q];
                values[fill[tr.Steps[j] - s0]++] = (v - l0) / d;
                if (j + 1 == tr.StepCount || double.IsNaN(row[j + 1])) continue;
                int gap = tr.Steps[j + 1] - tr.Steps[j];
                for (int k = 1; k < gap; k++)
                {
                    if (owner is not null) owner[fill[tr.Steps[j] - s0 + k]] = lamItem[q];
                    values[fill[tr.Steps[j] - s0 + k]++] = (v + (row[j + 1] - v) * k / gap - l0) / d;
                }
            }
        }
        var xs = new List<int>(); var ys = new List<double>(); var ns = new List<int>();
        // With owners the bounds come from a sorted copy, so each value keeps its item; the mean is the same sum.
        var scratch = owner is null ? null : new double[counts.Length > 1 ? (from t in Enumerable.Range(0, maxT + 1) select fill[t] - counts[t]).Max() : 0];
        int width = maxT + 1;
        var itemSums = owner is null ? null : new double[items * width];
        var itemCounts = owner is null ? null : new int[items * width];
        for (int t = 0; t <= maxT; t++)
        {
            int from = counts[t], to = fill[t];
            if (to == from) continue;
            double lo = 0, hi = 0;
            var span = owner is null ? values.AsSpan(from, to - from) : scratch.AsSpan(0, to - from);
            if (owner is not null) values.AsSpan(from, to - from).CopyTo(span);
            var (mean, n) = OutlierFilter.FilteredMean(span, multiplier, out lo, out hi);
            if (n == 0) continue;
            if (owner is not null)
                for (int i = from; i < to; i++)
                    if (values[i] >= lo && values[i] <= hi)
                    {
                        itemSums![owner[i] * width + t] += values[i];
                        itemCounts![owner[i] * width + t]++;
                    }
            xs.Add(t); ys.Add(mean); ns.Add(n);
        }
        if (owner is not null)
        {
            var sums = new double[items * xs.Count];
            var kept = new int[items * xs.Count];
            for (int item = 0; item < items; item++)
                for (int j = 0; j < xs.Count; j++)
                {
                    sums[item * xs.Count + j] = itemSums![item * width + xs[j]];
                    kept[item * xs.Count + j] = itemCounts![item * width + xs[j]];
                }
            byItem = new ItemCurve(xs.ToArray(), items, sums, kept, fit.From, fit.To, fit.BinsPerDecade);
        }
        return new StepCurve(group, depth, xs.ToArray(), ys.ToArray(), ns.ToArray());
    }
}

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
        var source = new int[values.Length];
        var fill = (int[])counts.Clone();
        for (int q = 0; q < lam.Count; q++)
        {
            var (p, li, d) = lam[q];
            var row = tr.Row(p);
            var steps = tr.Steps;
            double l0 = row[0];
            int s0 = steps[li];
            for (int j = li; j < row.Length; j++)
            {
                double v = row[j];
                if (double.IsNaN(v)) continue;
                source[fill[steps[j] - s0]] = q;
                values[fill[steps[j] - s0]++] = (v - l0) / d;
                if (j + 1 == row.Length || double.IsNaN(row[j + 1])) continue;
                int gap = steps[j + 1] - steps[j];
                for (int k = 1; k < gap; k++)
                {
                    source[fill[steps[j] - s0 + k]] = q;
                    values[fill[steps[j] - s0 + k]++] = (v + (row[j + 1] - v) * k / gap - l0) / d;
                }
            }
        }
        var xs = new List<int>(); var ys = new List<double>(); var ns = new List<int>();
        var order = new ValueOrder(lam.Count);
        int width = maxT + 1;
        var itemSums = itemOf is null ? null : new double[items * width];
        var itemCounts = itemOf is null ? null : new int[items * width];
        for (int t = 0; t <= maxT; t++)
        {
            int from = counts[t], to = fill[t];
            if (to == from) continue;
            var sorted = order.Next(values.AsSpan(from, to - from), source.AsSpan(from, to - from));
            var (mean, n) = OutlierFilter.SortedFilteredMean(sorted, multiplier, out double lo, out double hi);
            if (n == 0) continue;
            if (itemSums is not null)
                for (int i = from; i < to; i++)
                    if (values[i] >= lo && values[i] <= hi)
                    {
                        int item = lamItem[source[i]];
                        itemSums[item * width + t] += values[i];
                        itemCounts![item * width + t]++;
                    }
            xs.Add(t); ys.Add(mean); ns.Add(n);
        }
        if (itemSums is not null)
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

/// <summary>
/// The values of one t of R̄ in ascending order, kept from one t to the next: a probe's R(q, t) moves little between
/// neighbouring t, so last t's order of the probes, sorted again by insertion, costs a pass and a few swaps instead of
/// a full sort. The sorted values are the same as a full sort's, so every mean and bound is unchanged.
/// </summary>
internal sealed class ValueOrder(int probes)
{
    private readonly int[] order = new int[probes];
    private readonly double[] value = new double[probes];
    private readonly int[] seen = Enumerable.Repeat(-1, probes).ToArray();
    private readonly bool[] listed = new bool[probes];
    private double[] sorted = [];
    private int count, stamp;

    /// <summary>The values of the next t (<paramref name="probe"/>: which probe gave each) in ascending order.</summary>
    public ReadOnlySpan<double> Next(ReadOnlySpan<double> values, ReadOnlySpan<int> probe)
    {
        stamp++;
        for (int i = 0; i < values.Length; i++) { value[probe[i]] = values[i]; seen[probe[i]] = stamp; }
        // Keep last t's probes that have a value now, in last t's order, then add the ones that had none.
        int m = 0;
        for (int i = 0; i < count; i++)
            if (seen[order[i]] == stamp) order[m++] = order[i];
            else listed[order[i]] = false;
        for (int i = 0; i < values.Length; i++)
            if (!listed[probe[i]]) { listed[probe[i]] = true; order[m++] = probe[i]; }
        count = m;
        if (!InsertionSort(m)) Array.Sort(order, 0, m, Comparer<int>.Create((a, b) => value[a].CompareTo(value[b])));
        if (sorted.Length < m) sorted = new double[m];
        for (int i = 0; i < m; i++) sorted[i] = value[order[i]];
        return sorted.AsSpan(0, m);
    }

    /// <summary>Insertion sort of order[0..n) by value; false (order left partly sorted) when it takes more moves than a full sort would.</summary>
    private bool InsertionSort(int n)
    {
        long budget = 8L * n * (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)n)) + n;
        for (int i = 1; i < n; i++)
        {
            int q = order[i];
            double v = value[q];
            int j = i;
            while (j > 0 && value[order[j - 1]] > v)
            {
                order[j] = order[j - 1];
                j--;
                if (--budget < 0) { order[j] = q; return false; }
            }
            order[j] = q;
        }
        return true;
    }
}

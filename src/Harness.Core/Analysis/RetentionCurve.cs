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
        string group, Depth depth, out int usedProbes)
    {
        var lam = new List<(int Probe, int LamIndex, double Denominator)>();
        foreach (var p in probes)
        {
            var enc = encounters[p];
            if (enc.Length == 0) continue;
            if (!EncounterWindow.TryEffectivity(tr, p, enc[^1], window, out _, out int li)) continue;
            double d = tr[p, li] - tr[p, 0];
            if (d == 0 || double.IsNaN(d)) continue;
            lam.Add((p, li, d));
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
        var fill = (int[])counts.Clone();
        foreach (var (p, li, d) in lam)
        {
            var row = tr.Row(p);
            double l0 = row[0];
            int s0 = tr.Steps[li];
            for (int j = li; j < tr.StepCount; j++)
            {
                double v = row[j];
                if (double.IsNaN(v)) continue;
                values[fill[tr.Steps[j] - s0]++] = (v - l0) / d;
                if (j + 1 == tr.StepCount || double.IsNaN(row[j + 1])) continue;
                int gap = tr.Steps[j + 1] - tr.Steps[j];
                for (int k = 1; k < gap; k++)
                    values[fill[tr.Steps[j] - s0 + k]++] = (v + (row[j + 1] - v) * k / gap - l0) / d;
            }
        }
        var xs = new List<int>(); var ys = new List<double>(); var ns = new List<int>();
        for (int t = 0; t <= maxT; t++)
        {
            int from = counts[t], to = fill[t];
            if (to == from) continue;
            var (mean, n) = OutlierFilter.FilteredMean(values.AsSpan(from, to - from), multiplier);
            if (n == 0) continue;
            xs.Add(t); ys.Add(mean); ns.Add(n);
        }
        return new StepCurve(group, depth, xs.ToArray(), ys.ToArray(), ns.ToArray());
    }
}

using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// Whether knowledge falls after its last encounter, per probe, from means only: ℓ averaged over the window after the
/// last encounter (t_last, t_last + t_w] minus ℓ averaged over the last third of the probe's tail (t_last, end]. Run on
/// control-adjusted ℓ where the run has controls, so the background's drift cancels. Neither R̄(late) &lt; 1 nor a drop
/// from the window maximum would do: R̄ divides by each probe's own peak gain (a probe with a gain near zero moves the
/// mean anywhere), and a maximum over a noisy window sits above the level it is picked from, so both "fall" by noise.
/// </summary>
public static class RetentionFall
{
    public static GainFall? Compute(Trajectory tr, IReadOnlyList<int> probes, int[][] encounters, int window, double multiplier,
        int resamples, int seed, bool adjusted)
    {
        double earlySum = 0, lateSum = 0;
        var drops = new List<double>(probes.Count);
        foreach (var p in probes)
        {
            if (encounters[p] is not { Length: > 0 } enc) continue;
            if (!TryDrop(tr, p, enc[^1], window, out double early, out double late)) continue;
            earlySum += early;
            lateSum += late;
            drops.Add(early - late);
        }
        var kept = OutlierFilter.Keep(drops.ToArray(), multiplier);
        if (kept.Length == 0) return null;
        var (lo, hi) = Bootstrap.MeanInterval(kept, resamples, seed);
        return new GainFall(earlySum / drops.Count, lateSum / drops.Count, kept.Average(), kept.Length, lo, hi, adjusted);
    }

    /// <summary>
    /// One probe after an encounter at <paramref name="last"/>: ℓ averaged over (last, last + window] and over the last
    /// third of (last, end]; false when either holds no logged value.
    /// </summary>
    public static bool TryDrop(Trajectory tr, int probe, int last, int window, out double early, out double late)
    {
        int end = tr.Steps[^1];
        int lateFrom = last + (int)Math.Ceiling(2.0 * (end - last) / 3);
        var row = tr.Row(probe);
        double e = 0, l = 0;
        int ne = 0, nl = 0;
        // The two spans by their log steps: the tail between them is long and adds to neither.
        for (int j = tr.FirstAfter(last), to = tr.FirstAfter((int)Math.Min((long)last + window, int.MaxValue)); j < to; j++)
            if (!double.IsNaN(row[j])) { e += row[j]; ne++; }
        for (int j = Math.Max(tr.FirstAfter(last), tr.FirstAfter(lateFrom - 1)); j < tr.StepCount; j++)
            if (!double.IsNaN(row[j])) { l += row[j]; nl++; }
        (early, late) = ne > 0 && nl > 0 ? (e / ne, l / nl) : (double.NaN, double.NaN);
        return ne > 0 && nl > 0;
    }
}

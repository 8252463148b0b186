using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// Whether a group's gain falls after its last encounter, per probe and without ratios: the gain over ℓ at the first
/// logged step at the peak after the last encounter (t_LAM), minus its mean over the late half of its own tail (logged
/// steps at least half-way from t_LAM to the run's last step). R̄ divides by each probe's own peak gain, so a few
/// probes with a gain near zero can move its mean anywhere; the drop is a plain difference. The peak is a window
/// maximum, biased upward by noise, so where the run has controls the same drop is taken for every control probe over
/// the group's last-encounter steps, and the finding reads the difference (as net effectivity does).
/// </summary>
public static class RetentionFall
{
    public static GainFall? Compute(Trajectory tr, IReadOnlyList<int> probes, int[][] encounters, IReadOnlyList<int> controls,
        int window, double multiplier, int resamples, int seed)
    {
        var lastSteps = probes.Where(p => encounters[p].Length > 0).Select(p => encounters[p][^1]).ToArray();
        if (lastSteps.Length == 0) return null;
        var own = Drops(tr, probes.Where(p => encounters[p].Length > 0).Select(p => (p, encounters[p][^1])), window);
        var kept = OutlierFilter.Keep(own.Drops.ToArray(), multiplier);
        if (kept.Length == 0) return null;
        var (lo, hi) = Bootstrap.MeanInterval(kept, resamples, seed);
        var fall = new GainFall(own.Peak, own.Late, kept.Average(), kept.Length, lo, hi);
        if (controls.Count == 0) return fall;

        var steps = lastSteps.Distinct().Order().ToArray();
        var control = OutlierFilter.Keep(Drops(tr, controls.SelectMany(c => steps.Select(s => (c, s))), window).Drops.ToArray(), multiplier);
        if (control.Length == 0) return fall;
        var (nlo, nhi) = Bootstrap.DifferenceInterval(kept, control, resamples, unchecked(seed + 1));
        return fall with { ControlDrop = control.Average(), NetDrop = kept.Average() - control.Average(), NetCiLow = nlo, NetCiHigh = nhi };
    }

    private static (double Peak, double Late, List<double> Drops) Drops(Trajectory tr, IEnumerable<(int Probe, int Step)> pairs, int window)
    {
        double peakSum = 0, lateSum = 0;
        var drops = new List<double>();
        foreach (var (p, step) in pairs)
        {
            if (!EncounterWindow.TryEffectivity(tr, p, step, window, out _, out int li)) continue;
            var row = tr.Row(p);
            int from = tr.Steps[li] + (tr.Steps[^1] - tr.Steps[li] + 1) / 2;
            double sum = 0;
            int n = 0;
            for (int j = li; j < tr.StepCount; j++)
                if (tr.Steps[j] >= from && !double.IsNaN(row[j])) { sum += row[j]; n++; }
            if (n == 0 || double.IsNaN(row[0])) continue;
            peakSum += row[li] - row[0];
            lateSum += sum / n - row[0];
            drops.Add(row[li] - sum / n);
        }
        return drops.Count == 0 ? (double.NaN, double.NaN, drops) : (peakSum / drops.Count, lateSum / drops.Count, drops);
    }
}

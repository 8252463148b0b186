using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// Control-adjusted ℓ: each probe's ℓ minus the mean ℓ of the control probes of the same depth at the same step. It
/// removes the drift of the whole background (large while background loss still falls), which raw ℓ mixes into forgetting.
/// </summary>
public static class ControlAdjustment
{
    public static Trajectory Apply(Trajectory tr, IReadOnlyList<int>[] controlProbesByDepth)
    {
        int steps = tr.StepCount;
        var baseline = new double[controlProbesByDepth.Length][];
        for (int d = 0; d < baseline.Length; d++)
        {
            var mean = new double[steps];
            var controls = controlProbesByDepth[d];
            for (int j = 0; j < steps; j++)
            {
                double sum = 0;
                int n = 0;
                foreach (var c in controls)
                {
                    double v = tr[c, j];
                    if (!double.IsNaN(v)) { sum += v; n++; }
                }
                mean[j] = n > 0 ? sum / n : double.NaN;
            }
            baseline[d] = mean;
        }
        var values = new double[tr.Probes.Length * steps];
        for (int p = 0; p < tr.Probes.Length; p++)
        {
            var row = tr.Row(p);
            var b = baseline[(int)tr.Probes[p].Depth];
            var dst = values.AsSpan(p * steps, steps);
            for (int j = 0; j < steps; j++) dst[j] = row[j] - b[j];
        }
        return tr.WithValues(values);
    }

    /// <summary>Mean Δℓ over the probes at every logged step (NaN where none of them was logged).</summary>
    public static StepCurve DeltaCurve(Trajectory tr, IReadOnlyList<int> probes, string group, Depth depth)
    {
        var y = new double[tr.StepCount];
        var n = new int[tr.StepCount];
        foreach (var p in probes)
        {
            var row = tr.Row(p);
            double l0 = row[0];
            for (int j = 0; j < row.Length; j++)
                if (!double.IsNaN(row[j] - l0)) { y[j] += row[j] - l0; n[j]++; }
        }
        for (int j = 0; j < y.Length; j++) y[j] = n[j] > 0 ? y[j] / n[j] : double.NaN;
        return new StepCurve(group, depth, (int[])tr.Steps.Clone(), y, n);
    }
}

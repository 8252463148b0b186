using FsCheck;
using FsCheck.Fluent;
using Harness.Analysis;
using Harness.Data.Knowledge;
using Harness.Runs;
using NUnit.Framework;

namespace Harness.Tests.Analysis;

// FsCheck's [Property] supplies the arguments and runs the checks itself; NUnit1027 does not know that.
#pragma warning disable NUnit1027
public class MetricProperties
{
    private static (RunManifest, Trajectory) OneGroup(double effectivity, double decay, int encounters, int gap, double noise = 0, int seed = 1)
    {
        var steps = Enumerable.Range(0, encounters).Select(i => 5 + i * gap).ToArray();
        return SyntheticRun.Generate(new SyntheticRunSpec
        {
            Steps = steps[^1] + 1200,
            Groups = [new("g", 2, steps, effectivity, decay, Stagger: 1), new("ctl", 1, [], Control: true)],
            Depths = [Depth.Memorization],
            ProbesPerDepth = 2,
            Noise = noise,
            Seed = seed,
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property Retainability_ignores_a_constant_added_to_a_probe() => Prop.ForAll(
        Gen.Choose(-500, 500).Select(c => c / 100.0).ToArbitrary(),
        Gen.Choose(0, 3).ToArbitrary(),
        (shift, probe) =>
        {
            var (manifest, tr) = OneGroup(1.3, 0.2, 3, 90, noise: 0.05, seed: probe + 7);
            var layout = new RunDesign(manifest, tr);
            var values = Enumerable.Range(0, tr.Probes.Length).SelectMany(p => tr.Row(p).ToArray()).ToArray();
            for (int j = 0; j < tr.StepCount; j++) values[probe * tr.StepCount + j] += shift;
            var shifted = tr.WithValues(values);
            var before = RetentionCurve.Compute(tr, [probe], layout.Encounters, 50, 1.5, "g", Depth.Memorization, out _);
            var after = RetentionCurve.Compute(shifted, [probe], layout.Encounters, 50, 1.5, "g", Depth.Memorization, out _);
            return before.X.SequenceEqual(after.X) && before.Y.Zip(after.Y).All(p => Math.Abs(p.First - p.Second) < 1e-9);
        });

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property Known_power_law_and_jumps_come_back() => Prop.ForAll(
        (from a in Gen.Choose(50, 450)
         from e in Gen.Choose(20, 300)
         from encounters in Gen.Choose(1, 5)
         from gap in Gen.Choose(60, 150)
         select (a / 1000.0, e / 100.0, encounters, gap)).ToArbitrary(),
        ((double a, double e, int encounters, int gap) x) =>
        {
            var (a, e, encounters, gap) = x;
            var (manifest, tr) = OneGroup(e, a, encounters, gap);
            var m = MetricsCalculator.Compute(manifest, tr, resamples: 50);
            var eff = m.EffectivityOf("g", Depth.Memorization)!;
            var r = m.RetainabilityOf("g", Depth.Memorization)!;
            return Math.Abs(r.DecayConstant!.Value - a) <= 0.01 && Math.Abs(eff.Mean!.Value - e) <= 0.05 * e
                   && eff.N == 4 * encounters;
        });

    private static double Linear(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Iqr_filter_keeps_what_linear_percentiles_keep() => Prop.ForAll(
        Gen.Choose(-1000, 1000).Select(v => v / 10.0).ArrayOf().Where(a => a.Length > 0).ToArbitrary(),
        Gen.Elements(0.0, 0.5, 1.5, 2.0).ToArbitrary(),
        (values, m) =>
        {
            var sorted = values.Order().ToArray();
            double q1 = Linear(sorted, 0.25), q3 = Linear(sorted, 0.75);
            // Values exactly on a bound (e.g. two values, m = 0.5) are kept: the filter allows 1e-12 of scale for rounding.
            double slack = 1e-12 * Math.Max(1, Math.Max(Math.Abs(q1), Math.Abs(q3)));
            double lo = q1 - m * (q3 - q1) - slack, hi = q3 + m * (q3 - q1) + slack;
            var expected = values.Where(v => v >= lo && v <= hi).ToArray();
            var kept = OutlierFilter.Keep(values, m);
            var (mean, n) = OutlierFilter.FilteredMean(values.ToArray(), m);
            return kept.SequenceEqual(expected) && n == expected.Length
                   && (n == 0 ? double.IsNaN(mean) : Math.Abs(mean - expected.Average()) < 1e-9);
        });

    /// <summary>The quartile bounds by selection are the bounds of a full sort and MathNet's R-7, to the bit (ties and ±0 included).</summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Quartile_bounds_by_selection_are_those_of_sorting() => Prop.ForAll(
        Gen.Choose(0, 3000).SelectMany(n => Gen.Choose(1, 4).SelectMany(spread =>
            Gen.Choose(-50 * spread * spread, 50 * spread * spread).Select(v => v / (7.0 * spread)).ArrayOf(n))).ToArbitrary(),
        Gen.Elements(0.0, 1.5, 2.0).ToArbitrary(),
        (values, m) =>
        {
            var sorted = values.Order().ToArray();
            var (lo, hi) = OutlierFilter.Bounds(values, m);
            if (sorted.Length == 0) return double.IsNaN(lo) && double.IsNaN(hi);
            double q1 = MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(sorted, 0.25, MathNet.Numerics.Statistics.QuantileDefinition.R7);
            double q3 = MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(sorted, 0.75, MathNet.Numerics.Statistics.QuantileDefinition.R7);
            double slack = 1e-12 * Math.Max(1, Math.Max(Math.Abs(q1), Math.Abs(q3)));
            return BitConverter.DoubleToInt64Bits(lo) == BitConverter.DoubleToInt64Bits(q1 - m * (q3 - q1) - slack)
                   && BitConverter.DoubleToInt64Bits(hi) == BitConverter.DoubleToInt64Bits(q3 + m * (q3 - q1) + slack);
        });

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property Flat_trajectory_has_zero_effectivity_and_no_retainability() => Prop.ForAll(
        Gen.Choose(1, 4).ToArbitrary(),
        Gen.Choose(60, 200).ToArbitrary(),
        Gen.Choose(-1500, -10).Select(v => v / 100.0).ToArbitrary(),
        (encounters, gap, level) =>
        {
            var (manifest, tr) = OneGroup(1, 0.2, encounters, gap);
            var flat = new double[tr.Probes.Length * tr.StepCount];
            for (int p = 0; p < tr.Probes.Length; p++)
                Array.Fill(flat, level - p, p * tr.StepCount, tr.StepCount);
            var m = MetricsCalculator.Compute(manifest, tr.WithValues(flat), resamples: 50);
            var e = m.EffectivityOf("g", Depth.Memorization)!;
            var r = m.RetainabilityOf("g", Depth.Memorization)!;
            return e.Mean == 0 && e.N == 4 * encounters && e.NetMean == 0 && r.NProbes == 0 && r.DecayConstant is null;
        });
}
#pragma warning restore NUnit1027

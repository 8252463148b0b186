using Harness.Analysis;
using Harness.Data.Knowledge;
using NUnit.Framework;

namespace Harness.Tests.Analysis;

/// <summary>
/// Log-binned fits (analysis.fit_bins_per_decade) give every stretch of log t the same weight, so a curve evaluated at
/// every step and the same curve evaluated log-spaced lead to the same decay constant.
/// </summary>
public class DecayFitBinningTests
{
    private static StepCurve Curve(IEnumerable<int> ts, Func<double, double> r) =>
        new("g", Depth.Memorization, ts.ToArray(), ts.Select(t => r(t)).ToArray(), ts.Select(_ => 10).ToArray());

    private static readonly int[] Dense = Enumerable.Range(1, 1000).ToArray();
    private static readonly int[] LogSpaced = Enumerable.Range(0, 31).Select(i => (int)Math.Round(Math.Pow(10, i / 10.0))).Distinct().ToArray();

    [Test]
    public void A_power_law_is_recovered_from_dense_and_log_spaced_points_alike()
    {
        static double R(double t) => 0.9 - 0.2 * Math.Log10(t);
        var dense = DecayFits.Fit(Curve(Dense, R), 10, 1, 1000, 2048, binsPerDecade: 10);
        var sparse = DecayFits.Fit(Curve(LogSpaced, R), 10, 1, 1000, 2048, binsPerDecade: 10);
        Assert.That(dense.DecayConstant, Is.EqualTo(0.2).Within(1e-9));
        Assert.That(sparse.DecayConstant, Is.EqualTo(0.2).Within(1e-9));
    }

    [Test]
    public void A_curved_decay_gets_close_decay_constants_when_binned_and_different_ones_when_not()
    {
        // Bends down late (like background drift): unbinned OLS on dense points is dominated by the last decade.
        static double R(double t) => 1 - 0.1 * Math.Log10(t) - 0.05 * Math.Pow(Math.Log10(t), 2);
        double A(int[] ts, int bins) => DecayFits.Fit(Curve(ts, R), 10, 1, 1000, 2048, bins).DecayConstant!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(Math.Abs(A(Dense, 10) - A(LogSpaced, 10)), Is.LessThan(0.01), "binned");
            Assert.That(Math.Abs(A(Dense, 0) - A(LogSpaced, 0)), Is.GreaterThan(0.01), "unbinned: the weighting differs");
        });
    }

    [Test]
    public void Binning_leaves_a_log_spaced_curve_with_one_point_per_bin_unchanged()
    {
        static double R(double t) => 0.8 - 0.15 * Math.Log10(t) + 0.01 * Math.Sin(t);
        var ts = Enumerable.Range(0, 31).Select(i => (int)Math.Round(Math.Pow(10, (i + 0.5) / 10.0))).Distinct().ToArray();
        var binned = DecayFits.Fit(Curve(ts, R), 10, 1, 1000, 2048, 10);
        var plain = DecayFits.Fit(Curve(ts, R), 10, 1, 1000, 2048, 0);
        Assert.That(binned.DecayConstant, Is.EqualTo(plain.DecayConstant).Within(1e-12));
        Assert.That(binned.FitPoints, Is.EqualTo(plain.FitPoints));
    }
}

using MathNet.Numerics.Statistics;

namespace Harness.Analysis;

/// <summary>
/// The paper's outlier rule: keep values inside [Q1 − m·IQR, Q3 + m·IQR], quartiles by linear interpolation
/// (numpy's default, MathNet's R-7). m comes from the run (paper 1.5, the authors' scripts 2.0).
/// </summary>
public static class OutlierFilter
{
    /// <summary>Quartile bounds (widened by 1e-12 of their scale against rounding) of <paramref name="values"/> (any order); (NaN, NaN) when empty.</summary>
    public static (double Low, double High) Bounds(ReadOnlySpan<double> values, double multiplier)
    {
        if (values.IsEmpty) return (double.NaN, double.NaN);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return SortedBounds(sorted, multiplier);
    }

    private static (double Low, double High) SortedBounds(double[] sorted, double multiplier)
    {
        double q1 = SortedArrayStatistics.QuantileCustom(sorted, 0.25, QuantileDefinition.R7);
        double q3 = SortedArrayStatistics.QuantileCustom(sorted, 0.75, QuantileDefinition.R7);
        return Widen(q1, q3, multiplier);
    }

    // Bounds widened by a few ulps of scale: with IQR = 0 (identical effectivities), rounding in the last bit must not
    // decide which of two equal values is an outlier.
    private static (double Low, double High) Widen(double q1, double q3, double multiplier)
    {
        double iqr = q3 - q1;
        double slack = 1e-12 * Math.Max(1, Math.Max(Math.Abs(q1), Math.Abs(q3)));
        return (q1 - multiplier * iqr - slack, q3 + multiplier * iqr + slack);
    }

    /// <summary>The kept values, in their original order.</summary>
    public static double[] Keep(ReadOnlySpan<double> values, double multiplier)
    {
        if (values.IsEmpty) return [];
        var (lo, hi) = Bounds(values, multiplier);
        var kept = new List<double>(values.Length);
        foreach (var v in values)
            if (v >= lo && v <= hi) kept.Add(v);
        return kept.ToArray();
    }

    /// <summary>Mean and count of the kept values (NaN, 0 when empty), without allocating the kept list.</summary>
    public static (double Mean, int N) FilteredMean(Span<double> scratch, double multiplier) =>
        FilteredMean(scratch, multiplier, out _, out _);

    /// <summary>As <see cref="FilteredMean(Span{double}, double)"/>, with the bounds it kept values within.</summary>
    public static (double Mean, int N) FilteredMean(Span<double> scratch, double multiplier, out double lo, out double hi)
    {
        scratch.Sort();
        return SortedFilteredMean(scratch, multiplier, out lo, out hi);
    }

    /// <summary>As <see cref="FilteredMean(Span{double}, double, out double, out double)"/> for values already in ascending order.</summary>
    public static (double Mean, int N) SortedFilteredMean(ReadOnlySpan<double> sorted, double multiplier, out double lo, out double hi)
    {
        (lo, hi) = (double.NaN, double.NaN);
        if (sorted.IsEmpty) return (double.NaN, 0);
        (lo, hi) = Widen(Linear(sorted, 0.25), Linear(sorted, 0.75), multiplier);
        double sum = 0;
        int n = 0;
        foreach (var v in sorted)
            if (v >= lo && v <= hi) { sum += v; n++; }
        return (n == 0 ? double.NaN : sum / n, n);
    }

    // Same rule as R-7 on a sorted span, for the hot per-t loop of R̄ (checked against MathNet in the tests).
    private static double Linear(ReadOnlySpan<double> sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int i = (int)Math.Floor(h);
        if (i + 1 >= sorted.Length) return sorted[^1];
        return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
    }
}

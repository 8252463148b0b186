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
        var scratch = values.ToArray();
        if (scratch.Length < 64 || scratch.Any(double.IsNaN)) return SortedBounds(scratch, multiplier);
        // The quartiles need four order statistics, not the whole order: selecting them is linear where sorting a pool of
        // thousands of control values is not. Each quartile is then formed exactly as MathNet's R-7 forms it.
        var (a1, b1) = Neighbours(scratch, 0.25, 0);
        var (a3, b3) = Neighbours(scratch, 0.75, b1.Index);
        return Widen(R7(scratch.Length, 0.25, a1.Value, b1.Value), R7(scratch.Length, 0.75, a3.Value, b3.Value), multiplier);
    }

    private static (double Low, double High) SortedBounds(double[] values, double multiplier)
    {
        Array.Sort(values);
        double q1 = SortedArrayStatistics.QuantileCustom(values, 0.25, QuantileDefinition.R7);
        double q3 = SortedArrayStatistics.QuantileCustom(values, 0.75, QuantileDefinition.R7);
        return Widen(q1, q3, multiplier);
    }

    /// <summary>
    /// The two order statistics R-7 interpolates between for quantile <paramref name="p"/> (0-based ranks hf − 1 and hf),
    /// selected in place; everything below <paramref name="from"/> is already known to be no larger than them.
    /// </summary>
    private static ((int Index, double Value) Lower, (int Index, double Value) Upper) Neighbours(double[] values, double p, int from)
    {
        int n = values.Length, hf = (int)((n - 1) * p + 1d);
        int lower = Math.Max(hf - 1, 0), upper = Math.Min(hf, n - 1);
        Select(values, from, n - 1, lower);
        // The next order statistic is the smallest value right of the selected one.
        int at = lower;
        for (int i = lower + 1; i < n && upper > lower; i++)
            if (at == lower || values[i] < values[at]) at = i;
        if (upper > lower) (values[lower + 1], values[at]) = (values[at], values[lower + 1]);
        return ((lower, values[lower]), (upper, values[upper]));
    }

    /// <summary>MathNet's R-7 (SortedArrayStatistics.QuantileCustom) from its two neighbours, the same arithmetic.</summary>
    private static double R7(int n, double p, double lower, double upper)
    {
        double h = (n - 1) * p + 1d;
        int hf = (int)h;
        return lower + (h - hf) * (upper - lower);
    }

    /// <summary>Puts the k-th smallest of values[left..right] at k, smaller or equal values left of it, larger or equal right (Hoare).</summary>
    private static void Select(double[] values, int left, int right, int k)
    {
        while (right > left)
        {
            double pivot = Median(values[left], values[(left + right) >>> 1], values[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return;
        }
    }

    private static double Median(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    // Bounds widened by a few ulps of scale: with IQR = 0 (identical effectivities), rounding in the last bit must not
    // decide which of two equal values is an outlier.
    private static (double Low, double High) Widen(double q1, double q3, double multiplier)
    {
        double iqr = q3 - q1;
        double slack = 1e-12 * Math.Max(1, Math.Max(Math.Abs(q1), Math.Abs(q3)));
        return (q1 - multiplier * iqr - slack, q3 + multiplier * iqr + slack);
    }

    /// <summary>The kept values, in their original order.</summary>
    public static double[] Keep(ReadOnlySpan<double> values, double multiplier) =>
        values.IsEmpty ? [] : Within(values, Bounds(values, multiplier));

    /// <summary>The values inside <paramref name="bounds"/> (from <see cref="Bounds"/>), in their original order.</summary>
    public static double[] Within(ReadOnlySpan<double> values, (double Low, double High) bounds)
    {
        var (lo, hi) = bounds;
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

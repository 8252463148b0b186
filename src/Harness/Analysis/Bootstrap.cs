namespace Harness.Analysis;

/// <summary>
/// Percentile bootstrap of a mean (and of a difference of means), seeded so that the same input gives the same interval
/// on every machine: System.Random with a seed runs the same algorithm on every .NET version.
/// </summary>
public static class Bootstrap
{
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values, int resamples, int seed)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var rng = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++) means[r] = ResampledMean(values, rng);
        return Percentiles(means);
    }

    /// <summary>Interval of mean(a) − mean(b), resampling each side independently.</summary>
    public static (double Low, double High) DifferenceInterval(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples, int seed)
    {
        if (a.Count == 0 || b.Count == 0) return (double.NaN, double.NaN);
        var rng = new Random(seed);
        var diffs = new double[resamples];
        for (int r = 0; r < resamples; r++) diffs[r] = ResampledMean(a, rng) - ResampledMean(b, rng);
        return Percentiles(diffs);
    }

    private static double ResampledMean(IReadOnlyList<double> values, Random rng)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[rng.Next(values.Count)];
        return sum / values.Count;
    }

    private static (double, double) Percentiles(double[] stats)
    {
        Array.Sort(stats);
        return (MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(stats, 0.025, MathNet.Numerics.Statistics.QuantileDefinition.R7),
                MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(stats, 0.975, MathNet.Numerics.Statistics.QuantileDefinition.R7));
    }
}

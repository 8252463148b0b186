using MathNet.Numerics.Statistics;

namespace Harness.Analysis;

/// <summary>
/// Percentile bootstrap of a mean (and of a difference of means). The resampling stream is SplitMix64 from a fixed
/// seed: the same input gives the same interval on every machine and runtime, and it is fast enough for 10⁶ draws.
/// </summary>
public static class Bootstrap
{
    public static (double Low, double High) MeanInterval(double[] values, int resamples, int seed)
    {
        if (values.Length == 0 || resamples < 1) return (double.NaN, double.NaN);
        var rng = new SplitMix((ulong)seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++) means[r] = ResampledMean(values, ref rng);
        return Percentiles(means);
    }

    /// <summary>Interval of mean(a) − mean(b), resampling each side independently.</summary>
    public static (double Low, double High) DifferenceInterval(double[] a, double[] b, int resamples, int seed)
    {
        if (a.Length == 0 || b.Length == 0 || resamples < 1) return (double.NaN, double.NaN);
        var rng = new SplitMix((ulong)seed);
        var diffs = new double[resamples];
        for (int r = 0; r < resamples; r++) diffs[r] = ResampledMean(a, ref rng) - ResampledMean(b, ref rng);
        return Percentiles(diffs);
    }

    private static double ResampledMean(double[] values, ref SplitMix rng)
    {
        double sum = 0;
        uint n = (uint)values.Length;
        for (int i = 0; i < values.Length; i++) sum += values[rng.Below(n)];
        return sum / values.Length;
    }

    private static (double, double) Percentiles(double[] stats)
    {
        Array.Sort(stats);
        return (SortedArrayStatistics.QuantileCustom(stats, 0.025, QuantileDefinition.R7),
                SortedArrayStatistics.QuantileCustom(stats, 0.975, QuantileDefinition.R7));
    }
}

/// <summary>SplitMix64: a tiny, fast stream that gives the same draws on every machine and runtime for a seed.</summary>
internal struct SplitMix(ulong state)
{
    public int Below(uint n)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return (int)(((z >> 32) * n) >> 32);
    }
}

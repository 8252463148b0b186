using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Harness.Analysis.Findings;

/// <summary>One difference D with its standard error, labelled with what was compared.</summary>
public sealed record Difference(string Label, double D, double Se)
{
    public override string ToString() => $"{Label}: D = {FindingStatistics.F(D)} ± {FindingStatistics.F(Se)}";
}

/// <summary>K differences pooled: D = mean of the differences, SE = sqrt(Σ se²)/K (the SE of a mean of independent differences).</summary>
public sealed record PooledDifference(double D, double Se, int K)
{
    public static PooledDifference Of(IReadOnlyCollection<Difference> ds) =>
        new(ds.Average(d => d.D), Math.Sqrt(ds.Sum(d => d.Se * d.Se)) / ds.Count, ds.Count);

    /// <summary>One-sided 5%: D − 1.645·SE &gt; 0.</summary>
    public bool SignificantlyPositive => Lower > 0;
    public double Lower => D - FindingStatistics.Z95OneSided * Se;
    public double Upper => D + FindingStatistics.Z95OneSided * Se;

    /// <summary>The numbers a one-sided test of D decides on, for <see cref="FindingVerdict.Headline"/>.</summary>
    public string Headline => $"D = {FindingStatistics.F(D)} ± {FindingStatistics.F(Se)} (K = {K}; D − 1.645·SE = {FindingStatistics.F(Lower)})";

    public override string ToString() =>
        $"pooled D = {FindingStatistics.F(D)}, SE = {FindingStatistics.F(Se)} over K = {K}, D ± 1.645·SE = [{FindingStatistics.F(Lower)}, {FindingStatistics.F(Upper)}]";
}

/// <summary>The small pieces of statistics the finding checks share.</summary>
public static class FindingStatistics
{
    public const double Z95OneSided = 1.645;
    /// <summary>A 95% interval spans 2·1.96 standard errors (normal approximation of a bootstrap interval).</summary>
    public const double Ci95Width = 3.92;

    public static double? SeFromCi(double? low, double? high) => low is { } l && high is { } h ? (h - l) / Ci95Width : null;

    /// <summary>Difference of two estimates with independent errors: SE = sqrt(se₁² + se₂²).</summary>
    public static double CombinedSe(double a, double b) => Math.Sqrt(a * a + b * b);

    /// <summary>One-sided sign test: P(X ≥ k) for X ~ Binomial(K, ½).</summary>
    public static double SignTestP(int k, int total) => k <= 0 ? 1 : 1 - Binomial.CDF(0.5, total, k - 1);

    public static string F(double? v) => v is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>"0.250–0.840" (one value alone when all are equal), "n/a" when there is none.</summary>
    public static string Range(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        if (known.Count == 0) return "n/a";
        var (low, high) = (known.Min(), known.Max());
        return low == high ? F(low) : $"{F(low)}–{F(high)}";
    }
}

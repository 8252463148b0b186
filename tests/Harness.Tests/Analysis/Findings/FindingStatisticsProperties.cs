using FsCheck;
using FsCheck.Fluent;
using Harness.Analysis.Findings;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Findings;

// FsCheck's [Property] supplies the arguments and runs the checks itself; NUnit1027 does not know that.
#pragma warning disable NUnit1027
/// <summary>The formulas the finding checks share: pooling of differences, the sign test, SE from an interval.</summary>
public class FindingStatisticsProperties
{
    private static readonly Arbitrary<double> Values = Gen.Choose(-10_000, 10_000).Select(i => i / 1000.0).ToArbitrary();
    private static readonly Arbitrary<double> Ses = Gen.Choose(1, 5_000).Select(i => i / 1000.0).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property K_equal_differences_pool_to_the_same_d_with_se_over_root_k() => Prop.ForAll(Values, Ses, Gen.Choose(1, 40).ToArbitrary(), (d, se, k) =>
    {
        var pooled = PooledDifference.Of(Enumerable.Repeat(new Difference("x", d, se), k).ToList());
        return Math.Abs(pooled.D - d) < 1e-9 && Math.Abs(pooled.Se - se / Math.Sqrt(k)) < 1e-12 && pooled.K == k;
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Pooling_is_the_mean_with_the_se_of_a_mean() => Prop.ForAll(
        Gen.ListOf(Gen.Zip(Values.Generator, Ses.Generator)).Where(l => l.Count > 0).ToArbitrary(), pairs =>
    {
        var list = pairs.Select(p => new Difference("x", p.Item1, p.Item2)).ToList();
        var pooled = PooledDifference.Of(list);
        double variance = list.Sum(x => x.Se * x.Se) / ((double)list.Count * list.Count);
        bool significant = pooled.D - 1.645 * pooled.Se > 0;
        return Math.Abs(pooled.D - list.Average(x => x.D)) < 1e-9 && Math.Abs(pooled.Se * pooled.Se - variance) < 1e-9
               && pooled.SignificantlyPositive == significant;
    });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Sign_test_is_the_upper_binomial_tail() => Prop.ForAll(Gen.Choose(1, 30).ToArbitrary(), Gen.Choose(0, 30).ToArbitrary(), (total, k0) =>
    {
        int k = Math.Min(k0, total);
        double direct = Enumerable.Range(k, total - k + 1).Sum(j => Choose(total, j)) / Math.Pow(2, total);
        return Math.Abs(FindingStatistics.SignTestP(k, total) - direct) < 1e-9;
    });

    [Test]
    public void Sign_test_corner_cases()
    {
        Assert.That(FindingStatistics.SignTestP(0, 6), Is.EqualTo(1));
        Assert.That(FindingStatistics.SignTestP(6, 6), Is.EqualTo(1 / 64.0).Within(1e-12));
        Assert.That(FindingStatistics.SignTestP(4, 4), Is.GreaterThan(0.05), "four pairs can never reach 5%");
        Assert.That(FindingStatistics.SignTestP(5, 5), Is.LessThanOrEqualTo(0.05));
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Se_from_a_normal_95_percent_interval_is_the_se() => Prop.ForAll(Values, Ses, (mean, se) =>
        Math.Abs(FindingStatistics.SeFromCi(mean - 1.96 * se, mean + 1.96 * se)!.Value - se) < 1e-9);

    private static double Choose(int n, int k)
    {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }
}

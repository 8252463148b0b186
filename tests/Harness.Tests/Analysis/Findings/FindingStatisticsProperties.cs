using FsCheck;
using FsCheck.Fluent;
using Harness.Analysis;
using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Findings;

// FsCheck's [Property] supplies the arguments and runs the checks itself; NUnit1027 does not know that.
#pragma warning disable NUnit1027
/// <summary>
/// The cluster bootstrap's pieces: per-item sums give back the pooled means and the fitted curve of the full sample,
/// a draw takes whole items, and the bounds do not depend on how many threads compute them.
/// </summary>
public class FindingStatisticsProperties
{
    private static readonly Arbitrary<double> Values = Gen.Choose(-10_000, 10_000).Select(i => i / 1000.0).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Item_sums_with_unit_weights_give_the_pooled_mean() => Prop.ForAll(
        Gen.ListOf(Gen.ListOf(Values.Generator).Where(l => l.Count > 0)).Where(l => l.Count > 0).ToArbitrary(), items =>
    {
        var sums = items.Select(v => new ItemSum(v.Sum(), v.Count)).ToArray();
        double pooled = items.SelectMany(v => v).Average();
        return Math.Abs(ItemSum.Mean(sums, Enumerable.Repeat(1.0, sums.Length).ToArray()) - pooled) < 1e-9;
    });

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Taking_an_item_twice_counts_all_its_values_twice() => Prop.ForAll(
        Gen.ListOf(Gen.ListOf(Values.Generator).Where(l => l.Count > 0)).Where(l => l.Count > 1).ToArbitrary(), items =>
    {
        var sums = items.Select(v => new ItemSum(v.Sum(), v.Count)).ToArray();
        var w = new double[sums.Length];
        w[0] = 2;
        w[1] = 1;
        double expected = items[0].Concat(items[0]).Concat(items[1]).Average();
        return Math.Abs(ItemSum.Mean(sums, w) - expected) < 1e-9;
    });

    /// <summary>The resampled fit with every item once is the full sample's fit (DecayFits), binned or not.</summary>
    [TestCase(0)]
    [TestCase(10)]
    public void Refitting_the_full_sample_gives_the_reported_decay_constant(int bins)
    {
        var spec = new SyntheticRunSpec
        {
            Groups = [new SyntheticGroup("duplicate", 12, [0, 40], DecayConstant: 0.25, Stagger: 1), new SyntheticGroup("control", 8, [], Control: true)],
            Steps = 600, Noise = 0.05, FitFrom = 1, FitTo = 500, Depths = [Depth.Memorization], LamWindow = 20,
        };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        manifest = manifest with { Analysis = manifest.Analysis with { FitBinsPerDecade = bins } };
        var m = MetricsCalculator.Compute(manifest, trajectory, resamples: 50);
        var g = m.Evidence!.Of("duplicate", Depth.Memorization)!;
        var fit = g.Fit(Draw.Full(Replicate.Of([m])[0]), m.Evidence)!;
        var reported = m.RetainabilityOf("duplicate", Depth.Memorization)!.Raw;
        Assert.That(fit.DecayConstant, Is.EqualTo(reported.DecayConstant!.Value).Within(1e-9));
        Assert.That(fit.XInterceptLog10Steps, Is.EqualTo(reported.XInterceptLog10Steps!.Value).Within(1e-9));
        var e = m.EffectivityOf("duplicate", Depth.Memorization)!;
        Assert.That(g.NetEffectivity(Draw.Full(Replicate.Of([m])[0])), Is.EqualTo(e.NetMean!.Value).Within(1e-12));
    }

    [Test]
    public void Bounds_are_reproducible_although_resamples_run_in_parallel()
    {
        var spec = new SyntheticRunSpec
        {
            Groups = [new SyntheticGroup("duplicate", 10, [0, 30], Stagger: 1), new SyntheticGroup("control", 6, [], Control: true)],
            Steps = 200, Noise = 0.1, Depths = [Depth.Memorization], LamWindow = 20,
        };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory, resamples: 10);
        var q = new Quantity("net E", (r, d) => r.Runs[0].Evidence!.Of("duplicate", Depth.Memorization)!.NetEffectivity(d));
        var reps = Replicate.Of([m]);
        var a = ClusterBootstrap.Estimate(reps, [q], 400, 7)[0];
        var b = ClusterBootstrap.Estimate(reps, [q], 400, 7)[0];
        Assert.That((a.Lower, a.Upper), Is.EqualTo((b.Lower, b.Upper)));
        Assert.That(a.Lower, Is.LessThan(a.Estimate));
        Assert.That(a.Upper, Is.GreaterThan(a.Estimate));
    }

    /// <summary>
    /// A quantity that is one number per seed: drawing seeds with replacement spreads their mean by the seeds' unbiased
    /// variance over S once each drawn seed's deviation is scaled by √(S/(S − 1)); without it, by (S − 1)/S of that.
    /// </summary>
    [TestCase(2)]
    [TestCase(3)]
    public void Drawing_seeds_spreads_their_mean_by_the_unbiased_variance(int seeds)
    {
        var runs = Enumerable.Range(1, seeds).Select(s =>
        {
            var spec = new SyntheticRunSpec
            {
                Groups = [new SyntheticGroup("duplicate", 4, [0, 30], Stagger: 1), new SyntheticGroup("control", 2, [], Control: true)],
                Steps = 120, Noise = 0.1, Depths = [Depth.Memorization], LamWindow = 20, Seed = s,
                Cell = new Dictionary<string, string> { [Replicate.SeedAxis] = s.ToString() },
            };
            var (manifest, trajectory) = SyntheticRun.Generate(spec);
            return MetricsCalculator.Compute(manifest, trajectory, resamples: 10);
        }).ToList();
        var reps = Replicate.Of(runs);
        double[] perSeed = [0.0, 1.0, 3.0];
        var q = new Quantity("per seed", (r, _) => perSeed[int.Parse(r.Label) - 1]);
        var values = perSeed.Take(seeds).ToArray();
        double unbiased = MathNet.Numerics.Statistics.Statistics.Variance(values) / seeds;

        var draws = Enumerable.Range(0, 4000).Select(i => ClusterBootstrap.Estimate(reps, [q], 1, i)[0].Lower).ToArray();

        Assert.That(draws.Average(), Is.EqualTo(values.Average()).Within(0.05));
        Assert.That(MathNet.Numerics.Statistics.Statistics.Variance(draws), Is.EqualTo(unbiased).Within(0.06 * unbiased));
        Assert.That(ClusterBootstrap.SeedSpread(1), Is.EqualTo(1.0));
    }
}

using Harness.Analysis;
using Harness.Data.Knowledge;
using NUnit.Framework;

namespace Harness.Tests.Analysis;

/// <summary>Per-encounter effectivity carries its own bootstrap interval and, with control items, a net value.</summary>
public class EncounterEffectivityTests
{
    private static SyntheticRunSpec Spec(bool controls, double noise) => new()
    {
        Steps = 300,
        Groups = new List<SyntheticGroup> { new("duplicate", 5, [0, 100, 200], 0.9, 0.2, Stagger: 1) }
            .Concat(controls ? [new SyntheticGroup("control", 3, [], Control: true)] : []).ToList(),
        Depths = [Depth.Memorization],
        ProbesPerDepth = 3,
        LamWindow = 20,
        Noise = noise,
    };

    private static IReadOnlyList<EncounterEffectivity> Encounters(SyntheticRunSpec spec)
    {
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        return MetricsCalculator.Compute(manifest, trajectory).EffectivityOf("duplicate", Depth.Memorization)!.PerEncounter;
    }

    [Test]
    public void Exact_runs_give_a_degenerate_interval_at_the_true_effectivity()
    {
        var encounters = Encounters(Spec(controls: true, noise: 0));
        Assert.That(encounters, Has.Count.EqualTo(3));
        foreach (var e in encounters)
        {
            Assert.That(new[] { e.Mean, e.CiLow, e.CiHigh }, Is.All.EqualTo(0.9).Within(1e-9), $"encounter {e.Encounter}");
            Assert.That(new[] { e.NetMean, e.NetCiLow, e.NetCiHigh }, Is.All.EqualTo(0.9).Within(1e-9), "noise-free controls have E = 0");
        }
    }

    [Test]
    public void Noisy_runs_give_intervals_around_the_mean_and_net_of_the_noise_floor()
    {
        foreach (var e in Encounters(Spec(controls: true, noise: 0.05)))
        {
            Assert.That(e.CiLow, Is.LessThanOrEqualTo(e.Mean!.Value).And.LessThan(e.CiHigh!.Value), $"encounter {e.Encounter}");
            Assert.That(e.NetCiLow, Is.LessThanOrEqualTo(e.NetMean!.Value).And.LessThan(e.NetCiHigh!.Value));
            // The window maximum of pure noise lifts the controls above 0, so the net value lies below the raw one.
            Assert.That(e.NetMean, Is.LessThan(e.Mean.Value).And.GreaterThan(0.7));
        }
    }

    [Test]
    public void Without_controls_there_is_no_net_value()
    {
        foreach (var e in Encounters(Spec(controls: false, noise: 0.05)))
        {
            Assert.That(e.CiLow, Is.Not.Null);
            Assert.That(new[] { e.NetMean, e.NetCiLow, e.NetCiHigh }, Is.All.Null);
        }
    }
}

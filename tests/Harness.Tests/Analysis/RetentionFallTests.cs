using Harness.Analysis;
using Harness.Data.Knowledge;
using Harness.Runs;
using NUnit.Framework;

namespace Harness.Tests.Analysis;

/// <summary>The drop of a group's gain from its peak to the late tail, net of the controls', on trajectories whose truth is known.</summary>
public class RetentionFallTests
{
    private const int Steps = 200, Controls = 24;

    /// <summary>
    /// Probes encountered at step 0 whose ℓ rises by their gain at step 1 and then follows <paramref name="after"/>(gain, t),
    /// plus never-encountered controls; every value carries the same Gaussian noise.
    /// </summary>
    private static GainFall Fall(double[] gains, Func<double, int, double> after, double noise = 0.05)
    {
        var rng = new Random(17);
        double Noise() => noise * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        int probes = gains.Length + Controls;
        var keys = Enumerable.Range(0, probes).Select(i => new ProbeKey($"fk-{i:000}", i < gains.Length ? "g" : "control", Depth.Memorization, 0)).ToArray();
        var values = new double[probes * Steps];
        for (int p = 0; p < probes; p++)
            for (int s = 0; s < Steps; s++)
                values[p * Steps + s] = -10 + Noise() + (p < gains.Length && s > 0 ? after(gains[p], s - 1) : 0);
        var tr = new Trajectory(Enumerable.Range(0, Steps).ToArray(), keys, values);
        var encounters = Enumerable.Range(0, probes).Select(p => p < gains.Length ? new[] { 0 } : []).ToArray();
        return RetentionFall.Compute(tr, Enumerable.Range(0, gains.Length).ToArray(), encounters,
                   Enumerable.Range(gains.Length, Controls).ToArray(), window: 10, multiplier: 1.5, resamples: 1000, seed: 5)
               ?? throw new AssertionException("no fall computed");
    }

    private static readonly double[] Gains = Enumerable.Range(0, 24).Select(i => 1.0 + 0.05 * (i % 5)).ToArray();

    [Test]
    public void Knowledge_that_decays_falls_net_of_the_controls()
    {
        var f = Fall(Gains, (g, t) => g * (1 - 0.3 * Math.Log10(1 + t)));
        Assert.That(f.NetCiLow, Is.GreaterThan(0), f.ToString());
        Assert.That(f.Late, Is.LessThan(f.Peak), f.ToString());
    }

    [Test]
    public void Knowledge_that_is_kept_does_not_fall_although_a_window_maximum_is_biased_up()
    {
        var f = Fall(Gains, (g, _) => g);
        Assert.Multiple(() =>
        {
            Assert.That(f.CiLow, Is.GreaterThan(0), $"the peak is a maximum over the window, so noise alone makes a raw drop: {f}");
            Assert.That(f.ControlDrop, Is.GreaterThan(0), f.ToString());
            Assert.That(f.NetCiLow, Is.LessThanOrEqualTo(0), f.ToString());
            Assert.That(f.NetCiHigh, Is.GreaterThanOrEqualTo(0), f.ToString());
        });
    }

    [Test]
    public void A_probe_with_a_gain_near_zero_does_not_decide_the_fall()
    {
        // R̄ divides by each probe's own peak gain: one probe whose gain is 0.001 at the peak and 0.5 later has a ratio
        // of 500, which lifts a mean of ratios far above 1 although every other probe lost much of its gain.
        var gains = Gains.Append(0.001).ToArray();
        var f = Fall(gains, (g, t) => g < 0.01 ? (t < 10 ? g : 0.5) : g * (1 - 0.3 * Math.Log10(1 + t)), noise: 0);
        Assert.That(f.NetCiLow, Is.GreaterThan(0), f.ToString());
    }

    [Test]
    public void Without_controls_there_is_no_net_drop()
    {
        var rng = new Random(3);
        var keys = Enumerable.Range(0, 4).Select(i => new ProbeKey($"fk-{i}", "g", Depth.Semantic, 0)).ToArray();
        var tr = new Trajectory(Enumerable.Range(0, 50).ToArray(), keys, Enumerable.Range(0, 200).Select(_ => rng.NextDouble()).ToArray());
        var f = RetentionFall.Compute(tr, [0, 1, 2, 3], [[0], [0], [0], [0]], [], 10, 1.5, 200, 1);
        Assert.That(f, Is.Not.Null);
        Assert.That(f!.NetCiLow, Is.Null);
    }
}

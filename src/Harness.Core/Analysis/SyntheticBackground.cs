using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// The draws of a synthetic run that do not depend on what its groups truly do: each probe's ℓ(θ_0), its white noise,
/// the items' random-effect offsets and the structured noise (<see cref="NoiseStructure"/>), in the order
/// <see cref="SyntheticRun.Generate(SyntheticRunSpec, SyntheticBackgrounds?)"/> draws them. Runs of one seed and layout
/// that differ only in their truths (E, a, forgetting shape, drift per step, schedule) have the same background.
/// </summary>
internal sealed class SyntheticBackground
{
    private readonly int steps;
    private readonly double[]? white;
    private readonly double[]? structured;

    /// <summary>ℓ(θ_0) of each probe, in the run's probe order.</summary>
    public double[] Start { get; }
    /// <summary>The item offsets of E and a (null for a run without structure).</summary>
    public NoiseStructure? Structure { get; }

    public SyntheticBackground(SyntheticRunSpec spec, int[] logSteps, IReadOnlyList<ProbeKey> probes)
    {
        steps = logSteps.Length;
        var rng = new Random(spec.Seed);
        Start = new double[probes.Count];
        white = spec.Noise > 0 ? new double[probes.Count * steps] : null;
        Structure = spec.Structured ? new NoiseStructure(spec, logSteps) : null;
        structured = Structure is null ? null : new double[probes.Count * steps];
        for (int p = 0; p < probes.Count; p++)
        {
            Start[p] = -6 - 4 * rng.NextDouble();
            if (white is not null)
                for (int j = 0; j < steps; j++) white[p * steps + j] = spec.Noise * SyntheticRun.Gaussian(rng);
            Structure?.Probe(probes[p]).CopyTo(structured!, p * steps);
        }
    }

    /// <summary>White noise of probe <paramref name="p"/> at log step <paramref name="j"/> (0 without).</summary>
    public double White(int p, int j) => white is null ? 0 : white[p * steps + j];

    /// <summary>Structured noise of probe <paramref name="p"/> at log step <paramref name="j"/> (0 without).</summary>
    public double Structured(int p, int j) => structured is null ? 0 : structured[p * steps + j];
}

/// <summary>
/// Backgrounds drawn once and reused by every run generated with this object whose spec draws the same background
/// (same seed, replicate, noise settings, groups and items, depths, probes and logged steps): simulations of one shape
/// and seed under different truths then pay for their noise once. A run is the same with or without it. Not thread-safe:
/// one per thread (e.g. per simulated data set).
/// </summary>
public sealed class SyntheticBackgrounds
{
    private readonly Dictionary<Key, SyntheticBackground> drawn = [];

    internal SyntheticBackground For(SyntheticRunSpec spec, int[] logSteps, ProbeKey[] probes)
    {
        var key = new Key(spec, logSteps, probes);
        if (!drawn.TryGetValue(key, out var background)) drawn[key] = background = new SyntheticBackground(spec, logSteps, probes);
        return background;
    }

    /// <summary>Everything a background is drawn from.</summary>
    private sealed class Key(SyntheticRunSpec spec, int[] logSteps, ProbeKey[] probes) : IEquatable<Key>
    {
        private readonly int[] logSteps = logSteps;
        private readonly ProbeKey[] probes = probes;
        private readonly (int, double, bool, int, double, double, double, double, double, double, double, double) scalars =
            (spec.Seed, spec.Noise, spec.Structured, spec.Replicate, spec.ProbeNoiseSd, spec.ProbeNoisePhi, spec.ItemNoiseSd, spec.ItemNoisePhi,
             spec.RunDriftSlopeSd, spec.DepthDriftSlopeSd, spec.RunWalkSd, spec.RunWalkPhi);
        // Item offsets are drawn group by group in the spec's order, the depths' drift in the spec's depth order.
        private readonly (string, int)[] groups = [.. spec.Groups.Select(g => (g.Name, g.Items))];
        private readonly Depth[] depths = [.. spec.Depths];

        public bool Equals(Key? other) =>
            other is not null && scalars == other.scalars && groups.AsSpan().SequenceEqual(other.groups) && depths.AsSpan().SequenceEqual(other.depths) &&
            logSteps.AsSpan().SequenceEqual(other.logSteps) && probes.AsSpan().SequenceEqual(other.probes);

        public override bool Equals(object? obj) => Equals(obj as Key);
        public override int GetHashCode() => HashCode.Combine(scalars, groups.Length, logSteps.Length, probes.Length);
    }
}

using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// The structured part of a synthetic run (<see cref="SyntheticRunSpec"/>): item random effects on E and a, drawn from
/// the seed alone (runs of one seed share them), and noise and drift drawn from the seed and the replicate: run drift
/// slope and wander per run (and a slope per depth), an AR(1) per item shared by its probes, an AR(1) per probe. Both streams are separate from
/// the run's original <see cref="Random"/>, so a spec without structure writes exactly what it wrote before.
/// </summary>
internal sealed class NoiseStructure
{
    private readonly SyntheticRunSpec spec;
    private readonly int[] logSteps;
    private readonly Random noise;
    private readonly Dictionary<string, (double E, double A)> itemEffects = new(StringComparer.Ordinal);
    private readonly Dictionary<Depth, double[]> run = [];
    private readonly Dictionary<string, double[]> items = new(StringComparer.Ordinal);
    private readonly Dictionary<(double Sd, double Phi), (double[] R, double[] Innovation)> ar1Steps = [];

    public NoiseStructure(SyntheticRunSpec spec, int[] logSteps)
    {
        this.spec = spec;
        this.logSteps = logSteps;
        var effects = new Random(Mix(spec.Seed, 0x5EED17));
        foreach (var g in spec.Groups)
            for (int j = 0; j < g.Items; j++)
                itemEffects[$"{g.Name}-item{j:D3}"] = (SyntheticRun.Gaussian(effects), SyntheticRun.Gaussian(effects));
        noise = new Random(Mix(Mix(spec.Seed, 0x0D21F7), spec.Replicate));
        // The background moves every depth of a run alike (real runs: depth slopes within a run differ by about 0.0003
        // per step, runs by about 0.0013): one slope and one wander per run, plus a small slope of each depth's own.
        double slope = spec.RunDriftSlopeSd * SyntheticRun.Gaussian(noise);
        var walk = Ar1(spec.RunWalkSd, spec.RunWalkPhi);
        foreach (var d in spec.Depths)
        {
            double own = slope + spec.DepthDriftSlopeSd * SyntheticRun.Gaussian(noise);
            run[d] = logSteps.Select((t, j) => own * t + walk[j]).ToArray();
        }
    }

    /// <summary>The item's effectivity and decay constant at a depth: the group's, plus the item's offsets, cut at 0.</summary>
    public (double E, double A) ItemTruth(string item, SyntheticGroup g, Depth d)
    {
        var (ze, za) = itemEffects[item];
        return (Math.Max(0, g.EffectivityAt(d) + g.ItemEffectivitySd * ze), Math.Max(0, g.DecayAt(d) + g.ItemDecaySd * za));
    }

    /// <summary>Everything added to one probe's ℓ at each logged step: run drift and wander, its item's AR(1), its own AR(1).</summary>
    public double[] Probe(ProbeKey key)
    {
        if (!items.TryGetValue(key.Item, out var item)) items[key.Item] = item = Ar1(spec.ItemNoiseSd, spec.ItemNoisePhi);
        var own = Ar1(spec.ProbeNoiseSd, spec.ProbeNoisePhi);
        var drift = run[key.Depth];
        for (int j = 0; j < own.Length; j++) own[j] += item[j] + drift[j];
        return own;
    }

    /// <summary>A stationary AR(1) (sd, per-step φ) sampled exactly at the logged steps, whatever their gaps.</summary>
    private double[] Ar1(double sd, double phi)
    {
        var x = new double[logSteps.Length];
        if (sd <= 0) return x;
        // Every probe's AR(1) has the same gaps: each gap's φ^gap and innovation sd are computed once per run.
        if (!ar1Steps.TryGetValue((sd, phi), out var factors))
        {
            var (r, innovation) = (new double[x.Length], new double[x.Length]);
            for (int j = 1; j < x.Length; j++)
            {
                r[j] = Math.Pow(phi, logSteps[j] - logSteps[j - 1]);
                innovation[j] = sd * Math.Sqrt(1 - r[j] * r[j]);
            }
            ar1Steps[(sd, phi)] = factors = (r, innovation);
        }
        x[0] = sd * SyntheticRun.Gaussian(noise);
        for (int j = 1; j < x.Length; j++) x[j] = factors.R[j] * x[j - 1] + factors.Innovation[j] * SyntheticRun.Gaussian(noise);
        return x;
    }

    private static int Mix(int a, int b) => unchecked((int)((uint)a * 2654435761u ^ (uint)b * 40503u + 0x9E3779B9u));
}

using Harness.Data.Knowledge;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Analysis;

/// <summary>
/// A group of a synthetic run. <paramref name="Steps"/> are the first item's injection steps; item j is injected
/// <paramref name="Stagger"/>·j steps later. Control groups are probed and never injected.
/// </summary>
public sealed record SyntheticGroup(string Name, int Items, int[] Steps, double Effectivity = 1.0, double DecayConstant = 0.3,
    int Stagger = 0, bool Control = false)
{
    /// <summary>Per-depth overrides of <see cref="Effectivity"/> and <see cref="DecayConstant"/>.</summary>
    public IReadOnlyDictionary<Depth, double> EffectivityByDepth { get; init; } = new Dictionary<Depth, double>();
    public IReadOnlyDictionary<Depth, double> DecayByDepth { get; init; } = new Dictionary<Depth, double>();
    public double EffectivityAt(Depth d) => EffectivityByDepth.TryGetValue(d, out var v) ? v : Effectivity;
    public double DecayAt(Depth d) => DecayByDepth.TryGetValue(d, out var v) ? v : DecayConstant;

    /// <summary>
    /// Item random effect on effectivity: each item's E gets a Gaussian offset with this sd, shared by all its probes,
    /// depths and encounters (0: every item has the group's E). The offset is drawn from <see cref="SyntheticRunSpec.Seed"/>
    /// alone, so runs of one seed share it; an item's E is cut at 0 (no item unlearns by being read).
    /// </summary>
    public double ItemEffectivitySd { get; init; }
    /// <summary>Item random effect on the decay constant (Gaussian sd, shared like <see cref="ItemEffectivitySd"/>; cut at 0).</summary>
    public double ItemDecaySd { get; init; }
    /// <summary>
    /// With a rate above 0, forgetting after an encounter follows an exponential with an offset instead of the power law:
    /// amplitude·(floor + (1 − floor)·e^(−rate·τ)).
    /// </summary>
    public double ExponentialRate { get; init; }
    public double ExponentialFloor { get; init; }
}

/// <summary>Everything that defines a synthetic run; the truth its analysis must give back.</summary>
public sealed record SyntheticRunSpec
{
    public string Scenario { get; init; } = "synthetic";
    public required IReadOnlyList<SyntheticGroup> Groups { get; init; }
    /// <summary>Last log step; steps 0 … Steps are logged unless <see cref="LogSteps"/> says otherwise.</summary>
    public int Steps { get; init; } = 1000;
    public int[]? LogSteps { get; init; }
    public IReadOnlyList<Depth> Depths { get; init; } = Enum.GetValues<Depth>();
    public int ProbesPerDepth { get; init; } = 5;
    public int LamWindow { get; init; } = 50;
    public double IqrMultiplier { get; init; } = 1.5;
    public int FitFrom { get; init; } = 1;
    public int FitTo { get; init; }
    /// <summary>Bins per decade of t for the fits of R̄ (0: every t its own point).</summary>
    public int FitBinsPerDecade { get; init; }
    public int BatchSize { get; init; } = 16;
    public int SequenceLength { get; init; } = 128;
    /// <summary>Gaussian noise on every ℓ (0: exact).</summary>
    public double Noise { get; init; }
    /// <summary>Background drift of every probe's ℓ, per step (negative: the background makes every probe less likely).</summary>
    public double DriftPerStep { get; init; }
    public int Seed { get; init; } = 1;

    // Structured noise (docs/calibration.md measures each on real runs). Every value 0 leaves the run exactly as
    // without these settings; their randomness comes from streams of their own, so the draws above stay unchanged.

    /// <summary>
    /// Another run of the same seed (e.g. another stage): shares the seed's item effects and ℓ(θ_0), gets its own
    /// structured noise and run drift.
    /// </summary>
    public int Replicate { get; init; }
    /// <summary>AR(1) noise of each probe: stationary sd and per-step autocorrelation (0: white).</summary>
    public double ProbeNoiseSd { get; init; }
    public double ProbeNoisePhi { get; init; }
    /// <summary>AR(1) noise of each item, shared by all its probes and depths: stationary sd and per-step autocorrelation.</summary>
    public double ItemNoiseSd { get; init; }
    public double ItemNoisePhi { get; init; }
    /// <summary>Run-level drift: each run gets slope DriftPerStep + this sd × a Gaussian, applied to every probe of every depth.</summary>
    public double RunDriftSlopeSd { get; init; }
    /// <summary>Each depth's own deviation from the run's drift slope (Gaussian sd per step).</summary>
    public double DepthDriftSlopeSd { get; init; }
    /// <summary>Run-level smooth wander (AR(1), stationary sd and per-step autocorrelation), applied to every probe of every depth.</summary>
    public double RunWalkSd { get; init; }
    public double RunWalkPhi { get; init; }

    internal bool Structured => ProbeNoiseSd > 0 || ItemNoiseSd > 0 || RunDriftSlopeSd > 0 || DepthDriftSlopeSd > 0 || RunWalkSd > 0 || Replicate != 0 ||
                                Groups.Any(g => g.ItemEffectivitySd > 0 || g.ItemDecaySd > 0 || g.ExponentialRate > 0);
    public IReadOnlyDictionary<string, string> Cell { get; init; } = new Dictionary<string, string>();
    /// <summary>The scenario the synthetic run stands for, if any: harness check then accepts the run as that scenario's.</summary>
    public Scenario? Of { get; init; }
}

/// <summary>
/// Writes run directories with a known truth, for tests and benchmarks. After encounter i at t_i, ℓ jumps by exactly E
/// at t_i + 1 (so t_LAM = t_i + 1 and E is recovered exactly without noise) and then decays toward ℓ(θ_0) as
/// ℓ0 + amplitude·(1 − a·log10 τ), τ = t − t_i − 1 ≥ 1: R̄(t) = 1 − a·log10 t after the last encounter, slope −a.
/// </summary>
public static class SyntheticRun
{
    /// <param name="backgrounds">Where runs that draw the same background (<see cref="SyntheticBackgrounds"/>) share it; the run is the same without.</param>
    public static (RunManifest Manifest, Trajectory Trajectory) Generate(SyntheticRunSpec spec, SyntheticBackgrounds? backgrounds = null)
    {
        var logSteps = (spec.LogSteps ?? Enumerable.Range(0, spec.Steps + 1).ToArray()).Where(s => s <= spec.Steps).Distinct().Order().ToArray();
        if (logSteps.Length == 0 || logSteps[0] != 0) throw new ArgumentException("log steps must include step 0", nameof(spec));
        var items = new List<ManifestItem>();
        var injections = new List<ManifestInjection>();
        var probes = new List<(ProbeKey Key, SyntheticGroup Group, int[] Encounters)>();
        foreach (var g in spec.Groups)
        {
            if (g.Name.IndexOfAny([',', '\n', '\r']) >= 0) throw new ArgumentException($"group name '{g.Name}' cannot hold a comma or newline");
            for (int j = 0; j < g.Items; j++)
            {
                var item = $"{g.Name}-item{j:D3}";
                items.Add(new ManifestItem(item, g.Name, g.Control));
                var enc = g.Control ? [] : g.Steps.Select(s => s + j * g.Stagger).Where(s => s < spec.Steps).Order().ToArray();
                injections.AddRange(enc.Select((s, k) => new ManifestInjection(s, item, g.Name, k)));
                foreach (var d in spec.Depths)
                    for (int q = 0; q < spec.ProbesPerDepth; q++)
                        probes.Add((new ProbeKey(item, g.Name, d, q), g, enc));
            }
        }
        // Same probe order as the readers build, so analysis in memory and from a file sums in the same order.
        probes.Sort((x, y) =>
        {
            int c = string.CompareOrdinal(x.Key.Item, y.Key.Item);
            if (c == 0) c = x.Key.Depth.CompareTo(y.Key.Depth);
            return c != 0 ? c : x.Key.Probe.CompareTo(y.Key.Probe);
        });

        var keys = probes.Select(p => p.Key).ToArray();
        var background = backgrounds?.For(spec, logSteps, keys) ?? new SyntheticBackground(spec, logSteps, keys);
        var values = new double[probes.Count * logSteps.Length];
        var clean = new double[spec.Steps + 1];
        // ℓ is read at the logged steps and, for the jumps, at the encounters: the clean curve is evaluated there only.
        var evaluated = logSteps.Concat(probes.SelectMany(p => p.Encounters)).Distinct().Order().ToArray();
        var structure = background.Structure;
        for (int p = 0; p < probes.Count; p++)
        {
            var (key, g, enc) = probes[p];
            double l0 = background.Start[p];
            if (structure is null) Clean(clean, evaluated, l0, enc, g.EffectivityAt(key.Depth), g.DecayAt(key.Depth), key);
            else
            {
                var (e, a) = structure.ItemTruth(key.Item, g, key.Depth);
                Clean(clean, evaluated, l0, enc, e, a, key, g.ExponentialRate, g.ExponentialFloor, lenient: true);
            }
            for (int j = 0; j < logSteps.Length; j++)
            {
                int t = logSteps[j];
                values[p * logSteps.Length + j] = clean[t] + spec.DriftPerStep * t + background.White(p, j) + background.Structured(p, j);
            }
        }
        var manifest = new RunManifest
        {
            Scenario = spec.Scenario,
            BatchSize = spec.BatchSize,
            SequenceLength = spec.SequenceLength,
            TokensPerStep = (long)spec.BatchSize * spec.SequenceLength,
            Steps = spec.Steps,
            Analysis = new ManifestAnalysis { LamWindow = spec.LamWindow, IqrMultiplier = spec.IqrMultiplier, FitFrom = spec.FitFrom, FitTo = spec.FitTo, FitBinsPerDecade = spec.FitBinsPerDecade },
            Injections = injections.OrderBy(i => i.Step).ThenBy(i => i.Item, StringComparer.Ordinal).ToList(),
            Items = items,
            Depths = spec.Depths.Select(d => d.Name()).ToList(),
            Seed = spec.Seed,
            Device = "synthetic",
            Cell = spec.Cell,
            ResolvedScenario = spec.Of is { } of ? RunIdentity.ScenarioNode(of) : null,
            ScenarioHash = spec.Of is { } ofScenario ? RunIdentity.Hash(ofScenario) : null,
        };
        return (manifest, new Trajectory(logSteps, keys, values));
    }

    /// <summary>Writes manifest.json and trajectory.csv (or trajectory.parquet) into <paramref name="dir"/>.</summary>
    public static RunManifest Write(string dir, SyntheticRunSpec spec, bool parquet = false)
    {
        var (manifest, trajectory) = Generate(spec);
        Directory.CreateDirectory(dir);
        RunManifestFile.Write(Path.Combine(dir, RunDirectory.ManifestFile), manifest);
        if (parquet) TrajectoryParquet.Write(Path.Combine(dir, RunDirectory.ParquetFile), trajectory.ToRows());
        else TrajectoryCsv.Write(Path.Combine(dir, RunDirectory.CsvFile), trajectory.ToRows());
        return manifest;
    }

    /// <summary>The clean ℓ at each step of <paramref name="steps"/> (sorted; every encounter among them), into clean[t].</summary>
    private static void Clean(double[] clean, int[] steps, double l0, int[] encounters, double effectivity, double decay, ProbeKey key,
        double rate = 0, double floor = 0, bool lenient = false)
    {
        int next = 0;
        double amplitude = 0;
        int since = -1;
        foreach (int t in steps)
        {
            if (since < 0) clean[t] = l0;
            else
            {
                int tau = t - since - 1;
                clean[t] = l0 + amplitude * (tau <= 1 ? 1 : rate > 0 ? floor + (1 - floor) * Math.Exp(-rate * (tau - 1)) : 1 - decay * Math.Log10(tau));
            }
            while (next < encounters.Length && encounters[next] == t)
            {
                amplitude = clean[t] - l0 + effectivity;
                if (lenient) amplitude = Math.Max(amplitude, 0);
                else if (amplitude <= 0)
                    throw new ArgumentException($"{key.Item}: encounter at step {t} leaves ℓ below ℓ(θ_0); use a smaller decay constant or closer encounters");
                since = t;
                next++;
            }
        }
    }

    internal static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Sparse logging like a real run's: every step up to <paramref name="dense"/> after each injection, log-spaced elsewhere.</summary>
    public static int[] SparseLogSteps(int steps, IEnumerable<int> injectionSteps, int dense, int perDecade = 20)
    {
        var set = new SortedSet<int> { 0, steps };
        foreach (var s in injectionSteps)
            for (int t = s; t <= Math.Min(steps, s + dense); t++) set.Add(t);
        for (double e = 0; e <= Math.Log10(Math.Max(1, steps)); e += 1.0 / perDecade) set.Add((int)Math.Round(Math.Pow(10, e)));
        return set.Where(s => s <= steps).ToArray();
    }
}

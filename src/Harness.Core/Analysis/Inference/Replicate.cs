namespace Harness.Analysis.Inference;

/// <summary>
/// The runs of one seed (all runs when the scenario has no <c>seed</c> axis): the top level of resampling. Below it the
/// units are the schedule's slots (the j-th item of every injected group, each with all its probes, depths and
/// encounters; <see cref="GroupEvidence.Slots"/>) and, as their own stratum, the control items. The cells of one seed
/// share their items, so one draw serves them all and a comparison between them is paired.
/// </summary>
public sealed class Replicate
{
    public const string SeedAxis = "seed";

    public string Label { get; }
    public IReadOnlyList<RunMetrics> Runs { get; }
    /// <summary>Units drawn together: the slots, then the control items; each a list of universe indices.</summary>
    internal int[][] Strata { get; }
    internal int Universe { get; }
    private readonly Dictionary<GroupEvidence, (int[] Items, int[] Controls)> maps = new(ReferenceEqualityComparer.Instance);

    private Replicate(string label, IReadOnlyList<RunMetrics> runs)
    {
        Label = label;
        Runs = runs;
        var slots = new Dictionary<int, int>();
        var controls = new Dictionary<string, int>(StringComparer.Ordinal);
        int Unit<T>(Dictionary<T, int> units, T key) where T : notnull
        {
            if (!units.TryGetValue(key, out var k)) units[key] = k = slots.Count + controls.Count;
            return k;
        }
        foreach (var run in runs)
            foreach (var g in run.Evidence?.Groups ?? [])
                maps[g] = (g.Slots.Select(r => Unit(slots, r)).ToArray(), g.ControlItems.Select(c => Unit(controls, c)).ToArray());
        Strata = [slots.Values.ToArray(), controls.Values.ToArray()];
        Universe = slots.Count + controls.Count;
    }

    internal (int[] Items, int[] Controls) Map(GroupEvidence g) => maps[g];

    /// <summary>The runs split by the <c>seed</c> axis, in order of first appearance.</summary>
    public static IReadOnlyList<Replicate> Of(IReadOnlyList<RunMetrics> runs) =>
        runs.GroupBy(r => r.Cell.TryGetValue(SeedAxis, out var s) ? s : "", StringComparer.Ordinal)
            .Select(g => new Replicate(g.Key, g.ToList())).ToList();

    /// <summary>A run's cell without the seed and the named axes: runs of different seeds with the same key are replicates of one condition.</summary>
    public static string Condition(RunMetrics run, params string[] without) =>
        string.Join(",", run.Cell.Where(c => c.Key != SeedAxis && !without.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}

/// <summary>
/// One draw of item weights for a replicate (how many times each item is taken; all ones for the full sample), with
/// the per-draw cache of fits that several quantities share.
/// </summary>
public sealed class Draw
{
    private readonly Replicate replicate;
    private readonly double[] weights;
    private readonly Dictionary<(GroupEvidence, bool), double[]> aligned = new();
    internal Dictionary<GroupEvidence, CurveFit?> Fits { get; } = new(ReferenceEqualityComparer.Instance);

    internal Draw(Replicate replicate, double[] weights) { this.replicate = replicate; this.weights = weights; }

    public static Draw Full(Replicate r) => new(r, Enumerable.Repeat(1.0, r.Universe).ToArray());

    internal static Draw Resample(Replicate r, ref SplitMix rng)
    {
        var w = new double[r.Universe];
        foreach (var stratum in r.Strata)
            for (int i = 0; i < stratum.Length; i++) w[stratum[rng.Below((uint)stratum.Length)]]++;
        return new Draw(r, w);
    }

    /// <summary>Weights of <paramref name="g"/>'s items (or of its control items), aligned with its per-item arrays.</summary>
    public double[] Weights(GroupEvidence g, bool controls = false)
    {
        if (aligned.TryGetValue((g, controls), out var w)) return w;
        var map = controls ? replicate.Map(g).Controls : replicate.Map(g).Items;
        w = new double[map.Length];
        for (int i = 0; i < map.Length; i++) w[i] = weights[map[i]];
        aligned[(g, controls)] = w;
        return w;
    }
}

namespace Harness.Analysis.Inference;

/// <summary>
/// The runs of one seed (all runs when the scenario has no <c>seed</c> axis): the top level of resampling. Its runs
/// share items wherever their item ids agree (the cells of one seed draw the same items), so one draw of item weights
/// serves them all and a comparison between them is paired.
/// </summary>
public sealed class Replicate
{
    public const string SeedAxis = "seed";
    private const string ControlStratum = "\0control";

    public string Label { get; }
    public IReadOnlyList<RunMetrics> Runs { get; }
    /// <summary>Items resampled together: per group (controls as one stratum), the universe indices of its items.</summary>
    internal int[][] Strata { get; }
    internal int Universe { get; }
    private readonly Dictionary<GroupEvidence, (int[] Items, int[] Controls)> maps = new(ReferenceEqualityComparer.Instance);

    private Replicate(string label, IReadOnlyList<RunMetrics> runs)
    {
        Label = label;
        Runs = runs;
        var index = new Dictionary<(string Stratum, string Item), int>();
        var strata = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        int Id(string stratum, string item)
        {
            if (index.TryGetValue((stratum, item), out var k)) return k;
            index[(stratum, item)] = k = index.Count;
            if (!strata.TryGetValue(stratum, out var list)) strata[stratum] = list = [];
            list.Add(k);
            return k;
        }
        foreach (var run in runs)
            foreach (var g in run.Evidence?.Groups ?? [])
                maps[g] = (g.Items.Select(i => Id(g.Group, i)).ToArray(), g.ControlItems.Select(i => Id(ControlStratum, i)).ToArray());
        Strata = strata.Values.Select(l => l.ToArray()).ToArray();
        Universe = index.Count;
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

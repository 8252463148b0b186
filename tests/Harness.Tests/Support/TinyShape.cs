using Harness.Analysis;
using Harness.Data.Knowledge;

namespace Harness.Tests.Support;

/// <summary>
/// The design of a tiny scenario (scenarios/tiny/*.yaml) as a synthetic run: groups, items per group, schedule with
/// stagger, depths, steps, sparse logging, window and fit range. The truth of each group (E, a, forgetting shape) and
/// the noise come from the calibration design.
/// </summary>
internal sealed record TinyShape(string Name, int Steps, int Items, int[] Schedule, int Stagger, Depth[] Depths, int LamWindow,
    int Dense, int PerDecade, int FitTo = 0, int FitBins = 0, bool Once = true, int Batch = 16)
{
    private static readonly Depth[] MemSem = [Depth.Memorization, Depth.Semantic];

    /// <summary>scenarios/tiny/stages.yaml: 24 items per group, 4 encounters every 40 steps, stagger 1, 175 steps.</summary>
    public static readonly TinyShape Stages = new("stages", 175, 24, [0, 40, 80, 120], 1, MemSem, 30, 30, 10);
    /// <summary>scenarios/tiny/forgetting.yaml: as stages with three depths and a 1,200-step tail, fit 1..1000 in 10 bins a decade.</summary>
    public static readonly TinyShape Forgetting = new("forgetting", 1200, 24, [0, 40, 80, 120], 1, Enum.GetValues<Depth>(), 30, 30, 12, 1000, 10);
    /// <summary>scenarios/tiny/model-size.yaml: 3 encounters every 40 steps, stagger 1, 135 steps.</summary>
    public static readonly TinyShape ModelSize = new("model-size", 135, 24, [0, 40, 80], 1, MemSem, 30, 30, 10);
    /// <summary>scenarios/tiny/batch-size.yaml: no once group, 3 encounters every 50 steps, no stagger, 450 steps, fit 1..300.</summary>
    public static readonly TinyShape BatchSizes = new("batch-size", 450, 24, [0, 50, 100], 0, Enum.GetValues<Depth>(), 30, 30, 12, 300, 10, Once: false);

    /// <summary>One run of this shape: the groups' truths, the measured noise, seed and replicate (another cell of the seed).</summary>
    public SyntheticRunSpec Run(GroupTruth duplicate, GroupTruth paraphrase, GroupTruth once, int seed, int replicate,
        IReadOnlyDictionary<string, string> cell, int? batchSize = null, double driftPerStep = 0)
    {
        var groups = new List<SyntheticGroup>
        {
            paraphrase.Group("paraphrase", Items, Schedule, Stagger),
            duplicate.Group("duplicate", Items, Schedule, Stagger),
        };
        if (Once) groups.Add(once.Group("once", Items, [0], Stagger));
        groups.Add(new SyntheticGroup("control", Items, [], Control: true));
        var injections = groups.Where(g => !g.Control).SelectMany(g => Enumerable.Range(0, g.Items).SelectMany(j => g.Steps.Select(s => s + j * g.Stagger)));
        return MeasuredNoise.Apply(new SyntheticRunSpec
        {
            Scenario = $"calibration-{Name}",
            Groups = groups,
            Steps = Steps,
            LogSteps = SyntheticRun.SparseLogSteps(Steps, injections.Distinct(), Dense, PerDecade),
            Depths = Depths,
            LamWindow = LamWindow,
            FitFrom = 1,
            FitTo = FitTo,
            BatchSize = batchSize ?? Batch,
            DriftPerStep = driftPerStep,
            Seed = seed,
            Replicate = replicate,
            Cell = cell,
        }) with { FitBinsPerDecade = FitBins };
    }
}

/// <summary>What a group truly does in a simulated run: E and a (per depth where given), item spread, forgetting shape.</summary>
internal sealed record GroupTruth(double E, double A, double ItemESd, double ItemASd)
{
    public IReadOnlyDictionary<Depth, double> AByDepth { get; init; } = new Dictionary<Depth, double>();
    public double ExponentialRate { get; init; }
    public double ExponentialFloor { get; init; }

    public static GroupTruth Injected(double e, double a = 0.3) => new(e, a, MeasuredNoise.ItemEffectivitySd, MeasuredNoise.ItemDecaySd);
    public static GroupTruth OnceGroup(double e, double a = 0.28) => new(e, a, MeasuredNoise.OnceItemEffectivitySd, MeasuredNoise.OnceItemDecaySd);

    public SyntheticGroup Group(string name, int items, int[] steps, int stagger) =>
        new(name, items, steps, E, A, stagger)
        {
            DecayByDepth = AByDepth,
            ItemEffectivitySd = ItemESd,
            ItemDecaySd = ItemASd,
            ExponentialRate = ExponentialRate,
            ExponentialFloor = ExponentialFloor,
        };
}

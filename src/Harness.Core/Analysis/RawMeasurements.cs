using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// The per-probe measurements of a run's raw ℓ that both the point estimates (<see cref="MetricsCalculator"/>) and the
/// per-item breakdown (<see cref="Inference.ItemBreakdown"/>) read, each taken once: the injected probes' window
/// effectivity and one-step gain at their encounters, and the control probes' window value, one-step change and fall at
/// the run's injection steps. A control probe is measured at the same steps for every group on one schedule (duplicate
/// and paraphrase) and for every encounter, so one measurement per probe and step serves them all, and a pool of control
/// values (with its outlier bounds) is built once per set of steps.
/// </summary>
public sealed class RawMeasurements
{
    private readonly Trajectory raw;
    private readonly RunDesign layout;
    private readonly int window;
    private readonly double multiplier;
    private readonly Dictionary<(string Group, Depth Depth), EncounterValues> encounters = [];
    private readonly Dictionary<PoolKey, ControlPool> pools = [];

    // Control probe × injection step, filled on first use; Done flags say which quantity a cell holds.
    private readonly int[] controlRow;
    private readonly int[] columns;
    private readonly double[] windows, gains, drops;
    private readonly byte[] done;
    private const byte WindowDone = 1, GainDone = 2, DropDone = 4;

    public RawMeasurements(Trajectory raw, RunDesign layout, int window, double multiplier)
    {
        this.raw = raw;
        this.layout = layout;
        this.window = window;
        this.multiplier = multiplier;
        controlRow = new int[raw.Probes.Length];
        Array.Fill(controlRow, -1);
        int rows = 0;
        foreach (var g in layout.Groups.Where(g => g.Control))
            foreach (var probes in g.ProbesByDepth)
                foreach (var p in probes)
                    if (controlRow[p] < 0) controlRow[p] = rows++;
        columns = layout.AllInjectionSteps;
        int cells = rows * columns.Length;
        (windows, gains, drops, done) = (new double[cells], new double[cells], new double[cells], new byte[cells]);
    }

    /// <summary>R̄(t) of raw ℓ by item, kept from the raw fits so the item breakdown need not build each curve again.</summary>
    public Dictionary<(string Group, Depth Depth), Inference.ItemCurve?> Curves { get; } = [];

    /// <summary>The window effectivity and one-step gain of each probe of an injected group × depth at each of its encounters.</summary>
    public EncounterValues Encounters(GroupDesign g, Depth depth)
    {
        if (!encounters.TryGetValue((g.Name, depth), out var v))
            encounters[(g.Name, depth)] = v = EncounterValues.Measure(raw, g.ProbesByDepth[(int)depth], layout.Encounters, window);
        return v;
    }

    /// <summary>Window values of <paramref name="probes"/> (control probes) at <paramref name="steps"/>, probe by probe.</summary>
    public ControlPool Windows(IReadOnlyList<int> probes, int[] steps) => Pool(Quantity.Window, probes, steps);

    /// <summary>One-step changes of control probes at <paramref name="steps"/>, probe by probe.</summary>
    public ControlPool Gains(IReadOnlyList<int> probes, int[] steps) => Pool(Quantity.Gain, probes, steps);

    /// <summary>Falls (early − late, <see cref="RetentionFall.TryDrop"/>) of control probes after each of <paramref name="steps"/>.</summary>
    public ControlPool Drops(IReadOnlyList<int> probes, int[] steps) => Pool(Quantity.Drop, probes, steps);

    private enum Quantity { Window, Gain, Drop }

    private ControlPool Pool(Quantity q, IReadOnlyList<int> probes, int[] steps)
    {
        var key = new PoolKey(q, probes, steps);
        if (pools.TryGetValue(key, out var pool)) return pool;
        var values = new List<double>(probes.Count * steps.Length);
        var owners = new List<int>(values.Capacity);
        var stepColumns = Array.ConvertAll(steps, step => Array.BinarySearch(columns, step));
        for (int i = 0; i < probes.Count; i++)
            for (int j = 0; j < steps.Length; j++)
                if (TryMeasure(q, probes[i], steps[j], stepColumns[j], out var v)) { values.Add(v); owners.Add(i); }
        return pools[key] = new ControlPool([.. values], [.. owners], multiplier);
    }

    /// <param name="column">The step's column among the run's injection steps (negative: none).</param>
    private bool TryMeasure(Quantity q, int probe, int step, int column, out double value)
    {
        int row = controlRow[probe];
        if (row < 0 || column < 0) return Measure(q, probe, step, out value);
        int cell = row * columns.Length + column;
        var (cache, flag) = q switch { Quantity.Window => (windows, WindowDone), Quantity.Gain => (gains, GainDone), _ => (drops, DropDone) };
        if ((done[cell] & flag) == 0)
        {
            done[cell] |= flag;
            Measure(q, probe, step, out cache[cell]);
        }
        // NaN marks "not measured": each measurement is NaN exactly when it does not hold.
        value = cache[cell];
        return !double.IsNaN(value);
    }

    private bool Measure(Quantity q, int probe, int step, out double value)
    {
        switch (q)
        {
            case Quantity.Window:
                return EncounterWindow.TryEffectivity(raw, probe, step, window, out value, out _);
            case Quantity.Gain:
                return EncounterWindow.TryOneStepGain(raw, probe, step, out value);
            default:
                bool ok = RetentionFall.TryDrop(raw, probe, step, window, out var e, out var l);
                value = e - l;
                return ok;
        }
    }

    /// <summary>A pool is the same pool for equal probe lists and step sets (groups on one schedule give equal arrays).</summary>
    private readonly record struct PoolKey(Quantity Quantity, IReadOnlyList<int> Probes, int[] Steps)
    {
        public bool Equals(PoolKey other) =>
            Quantity == other.Quantity && Probes.SequenceEqual(other.Probes) && Steps.AsSpan().SequenceEqual(other.Steps);

        public override int GetHashCode()
        {
            var h = new HashCode();
            h.Add(Quantity);
            h.Add(Probes.Count);
            foreach (var s in Steps) h.Add(s);
            return h.ToHashCode();
        }
    }
}

/// <summary>
/// Control values pooled over probes and steps, in probe-then-step order, each with the index (in the probe list) of
/// the probe it came from; the outlier bounds are those of the whole pool (<see cref="OutlierFilter"/>).
/// </summary>
public sealed class ControlPool(double[] values, int[] owners, double multiplier)
{
    private (double Low, double High)? bounds;

    public double[] Values => values;
    public int[] Owners => owners;
    public (double Low, double High) Bounds => bounds ??= OutlierFilter.Bounds(values, multiplier);

    /// <summary>The values the outlier rule keeps, in pool order (what <see cref="OutlierFilter.Keep"/> gives).</summary>
    public double[] Kept()
    {
        if (values.Length == 0) return [];
        var (lo, hi) = Bounds;
        var kept = new List<double>(values.Length);
        foreach (var v in values)
            if (v >= lo && v <= hi) kept.Add(v);
        return [.. kept];
    }
}

/// <summary>
/// One injected group × depth: per probe (in the order of the group's probe list) and encounter k, the window
/// effectivity (window ending at the item's next encounter) and the one-step gain, NaN where not measured.
/// </summary>
public sealed record EncounterValues(int[] Offsets, double[] Effectivity, double[] Gain)
{
    /// <summary>Index of probe i's encounter k in the value arrays; probe i has Offsets[i + 1] − Offsets[i] encounters.</summary>
    public int At(int i, int k) => Offsets[i] + k;

    public static EncounterValues Measure(Trajectory tr, IReadOnlyList<int> probes, int[][] encounters, int window)
    {
        var offsets = new int[probes.Count + 1];
        for (int i = 0; i < probes.Count; i++) offsets[i + 1] = offsets[i] + encounters[probes[i]].Length;
        var e = new double[offsets[^1]];
        var gain = new double[offsets[^1]];
        for (int i = 0; i < probes.Count; i++)
        {
            int p = probes[i];
            var enc = encounters[p];
            for (int k = 0; k < enc.Length; k++)
            {
                int next = k + 1 < enc.Length ? enc[k + 1] : int.MaxValue;
                EncounterWindow.TryEffectivity(tr, p, enc[k], window, out e[offsets[i] + k], out _, next);
                EncounterWindow.TryOneStepGain(tr, p, enc[k], out gain[offsets[i] + k]);
            }
        }
        return new EncounterValues(offsets, e, gain);
    }
}

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

    // Per quantity and injection step (column), the value of every control probe (row), measured on first use: the
    // window's span and the one-step index are found once per step, not once per probe.
    private readonly int[] controlRow;
    private readonly int[] controlProbes;
    private readonly int[] columns;
    private readonly double[]?[][] measured;

    public RawMeasurements(Trajectory raw, RunDesign layout, int window, double multiplier)
    {
        this.raw = raw;
        this.layout = layout;
        this.window = window;
        this.multiplier = multiplier;
        controlRow = new int[raw.Probes.Length];
        Array.Fill(controlRow, -1);
        var rows = new List<int>();
        foreach (var g in layout.Groups.Where(g => g.Control))
            foreach (var probes in g.ProbesByDepth)
                foreach (var p in probes)
                    if (controlRow[p] < 0) { controlRow[p] = rows.Count; rows.Add(p); }
        controlProbes = [.. rows];
        columns = layout.AllInjectionSteps;
        measured = [.. Enum.GetValues<Quantity>().Select(_ => new double[]?[columns.Length])];
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
        var stepColumns = Array.ConvertAll(steps, step => Array.BinarySearch(columns, step) is int c and >= 0 ? Column(q, c) : null);
        for (int i = 0; i < probes.Count; i++)
        {
            int row = controlRow[probes[i]];
            for (int j = 0; j < steps.Length; j++)
            {
                // NaN marks "not measured": each measurement is NaN exactly when it does not hold.
                double v = row >= 0 && stepColumns[j] is { } column ? column[row] : Measure(q, probes[i], steps[j]);
                if (!double.IsNaN(v)) { values.Add(v); owners.Add(i); }
            }
        }
        return pools[key] = new ControlPool([.. values], [.. owners], multiplier);
    }

    /// <summary>Quantity <paramref name="q"/> of every control probe at injection step <paramref name="column"/>.</summary>
    private double[] Column(Quantity q, int column)
    {
        if (measured[(int)q][column] is { } done) return done;
        int step = columns[column];
        var values = new double[controlProbes.Length];
        switch (q)
        {
            case Quantity.Window:
                var span = EncounterWindow.Span(raw, step, window);
                for (int r = 0; r < values.Length; r++) EncounterWindow.TryEffectivity(raw, controlProbes[r], span, out values[r], out _);
                break;
            case Quantity.Gain:
                int index = EncounterWindow.OneStepIndex(raw, step);
                for (int r = 0; r < values.Length; r++) EncounterWindow.TryOneStepGainAt(raw, controlProbes[r], index, out values[r]);
                break;
            default:
                for (int r = 0; r < values.Length; r++) values[r] = Measure(q, controlProbes[r], step);
                break;
        }
        return measured[(int)q][column] = values;
    }

    /// <summary>One probe's quantity at one step; NaN where it is not measured.</summary>
    private double Measure(Quantity q, int probe, int step)
    {
        switch (q)
        {
            case Quantity.Window:
                EncounterWindow.TryEffectivity(raw, probe, step, window, out var e, out _);
                return e;
            case Quantity.Gain:
                EncounterWindow.TryOneStepGain(raw, probe, step, out var g);
                return g;
            default:
                RetentionFall.TryDrop(raw, probe, step, window, out var early, out var late);
                return early - late;
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
    public double[] Kept() => values.Length == 0 ? [] : OutlierFilter.Within(values, Bounds);
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

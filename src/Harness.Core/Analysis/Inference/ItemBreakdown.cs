using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis.Inference;

/// <summary>
/// Breaks a run down by knowledge item (<see cref="RunEvidence"/>): each quantity's values are pooled and filtered by the
/// outlier rule exactly as the point estimates are, then summed per item. The bounds stay those of the full sample in
/// every resample: the filter is part of the estimator, fixed before any resampling.
/// </summary>
public static class ItemBreakdown
{
    /// <param name="measured">What the point estimates measured on <paramref name="raw"/>: encounter and control values,
    /// and R̄(t) by item where the raw fits built it (the others are built here).</param>
    public static RunEvidence Of(Trajectory raw, RunDesign layout, AnalysisSettings s, long tokensPerStep, RawMeasurements measured)
    {
        var groups = new List<GroupEvidence>();
        foreach (var g in layout.Groups.Where(g => !g.Control && g.InjectionSteps.Length > 0))
            foreach (var depth in Enum.GetValues<Depth>())
            {
                var probes = g.ProbesByDepth[(int)depth];
                if (probes.Count > 0) groups.Add(Group(raw, layout, s, g, depth, probes, measured));
            }
        return new RunEvidence(groups, s.FitFrom, s.FitTo, s.FitBinsPerDecade, tokensPerStep);
    }

    private static GroupEvidence Group(Trajectory tr, RunDesign layout, AnalysisSettings s, GroupDesign g, Depth depth, IReadOnlyList<int> probes,
        RawMeasurements measured)
    {
        var (items, itemOf) = ItemsOf(tr, probes);
        var e = new Pool(items.Length);
        var gain = new Pool(items.Length);
        var drop = new Pool(items.Length);
        var encounter = Enumerable.Range(0, g.Encounters).Select(_ => new Pool(items.Length)).ToArray();
        var values = measured.Encounters(g, depth);
        for (int i = 0; i < probes.Count; i++)
        {
            int p = probes[i];
            var enc = layout.Encounters[p];
            for (int k = 0; k < enc.Length; k++)
            {
                double v = values.Effectivity[values.At(i, k)], g1 = values.Gain[values.At(i, k)];
                if (!double.IsNaN(v)) e.Add(itemOf[i], v);
                if (!double.IsNaN(g1))
                {
                    gain.Add(itemOf[i], g1);
                    encounter[k].Add(itemOf[i], g1);
                }
            }
            if (enc.Length > 0 && RetentionFall.TryDrop(tr, p, enc[^1], s.LamWindow, out var early, out var late)) drop.Add(itemOf[i], early - late);
        }
        ItemCurve? curve;
        if (!measured.Curves.TryGetValue((g.Name, depth), out curve))
            RetentionCurve.Compute(tr, probes, layout.Encounters, s.LamWindow, s.IqrMultiplier, g.Name, depth, out _, itemOf, items.Length,
                (s.FitFrom, s.FitTo, s.FitBinsPerDecade), out curve);
        var first = new int[items.Length];
        Array.Fill(first, int.MaxValue);
        for (int i = 0; i < probes.Count; i++)
            if (layout.Encounters[probes[i]] is { Length: > 0 } enc) first[itemOf[i]] = Math.Min(first[itemOf[i]], enc[0]);
        var order = Enumerable.Range(0, items.Length).OrderBy(i => first[i]).ThenBy(i => items[i], StringComparer.Ordinal).ToArray();
        var slots = new int[items.Length];
        for (int r = 0; r < order.Length; r++) slots[order[r]] = r;
        var c = Controls(tr, layout, s, g, probes, layout.ControlProbes[(int)depth], measured);
        return new GroupEvidence
        {
            Group = g.Name, Depth = depth, Items = items, Slots = slots,
            Effectivity = e.Kept(s.IqrMultiplier), OneStepGain = gain.Kept(s.IqrMultiplier), Drop = drop.Kept(s.IqrMultiplier),
            EncounterGain = encounter.Select(x => x.All()).ToArray(),
            Retention = curve,
            ControlItems = c.Items, ControlEffectivity = c.Effectivity, ControlOneStepGain = c.OneStepGain,
            ControlDrop = c.Drop, ControlEncounterGain = c.EncounterGain,
        };
    }

    /// <summary>The control items of one depth measured over the group's own steps; all empty when there are none.</summary>
    private static (string[] Items, ItemSum[] Effectivity, ItemSum[] OneStepGain, ItemSum[] Drop, ItemSum[][] EncounterGain) Controls(
        Trajectory tr, RunDesign layout, AnalysisSettings s, GroupDesign g, IReadOnlyList<int> probes, IReadOnlyList<int> controls,
        RawMeasurements measured)
    {
        if (controls.Count == 0) return ([], [], [], [], []);
        var (cItems, cItemOf) = ItemsOf(tr, controls);
        // The steps of each encounter and of each last encounter of this group's items: the control items are measured there.
        var kthSteps = Enumerable.Range(0, g.Encounters)
            .Select(k => probes.Select(p => layout.Encounters[p]).Where(x => x.Length > k).Select(x => x[k]).Distinct().Order().ToArray()).ToArray();
        var lastSteps = probes.Select(p => layout.Encounters[p]).Where(x => x.Length > 0).Select(x => x[^1]).Distinct().Order().ToArray();
        ItemSum[] Kept(ControlPool pool) => Sums(pool, cItemOf, cItems.Length, kept: true);
        return (cItems, Kept(measured.Windows(controls, g.InjectionSteps)), Kept(measured.Gains(controls, g.InjectionSteps)),
            Kept(measured.Drops(controls, lastSteps)),
            kthSteps.Select(steps => Sums(measured.Gains(controls, steps), cItemOf, cItems.Length, kept: false)).ToArray());
    }

    /// <summary>A control pool summed per item (<paramref name="itemOf"/>: per probe of the pool's list), all values or those the outlier rule keeps.</summary>
    private static ItemSum[] Sums(ControlPool pool, int[] itemOf, int items, bool kept)
    {
        var sums = new ItemSum[items];
        if (pool.Values.Length == 0) return sums;
        var (lo, hi) = kept ? pool.Bounds : (double.NegativeInfinity, double.PositiveInfinity);
        for (int i = 0; i < pool.Values.Length; i++)
        {
            double v = pool.Values[i];
            if (v >= lo && v <= hi) sums[itemOf[pool.Owners[i]]] = sums[itemOf[pool.Owners[i]]].Add(v);
        }
        return sums;
    }

    /// <summary>The distinct items of <paramref name="probes"/> in order of appearance, and each probe's item index.</summary>
    internal static (string[] Items, int[] ItemOf) ItemsOf(Trajectory tr, IReadOnlyList<int> probes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemOf = new int[probes.Count];
        for (int i = 0; i < probes.Count; i++)
        {
            var item = tr.Probes[probes[i]].Item;
            if (!index.TryGetValue(item, out var k)) index[item] = k = index.Count;
            itemOf[i] = k;
        }
        return (index.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray(), itemOf);
    }

    /// <summary>Values with their items, kept by the outlier rule over all of them (as the pooled point estimate keeps them).</summary>
    private sealed class Pool(int items)
    {
        private readonly List<double> values = [];
        private readonly List<int> owners = [];

        public void Add(int item, double value) { values.Add(value); owners.Add(item); }

        public ItemSum[] Kept(double multiplier)
        {
            var sums = new ItemSum[items];
            if (values.Count == 0) return sums;
            var (lo, hi) = OutlierFilter.Bounds(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values), multiplier);
            for (int i = 0; i < values.Count; i++)
                if (values[i] >= lo && values[i] <= hi) sums[owners[i]] = sums[owners[i]].Add(values[i]);
            return sums;
        }

        public ItemSum[] All()
        {
            var sums = new ItemSum[items];
            for (int i = 0; i < values.Count; i++) sums[owners[i]] = sums[owners[i]].Add(values[i]);
            return sums;
        }
    }
}

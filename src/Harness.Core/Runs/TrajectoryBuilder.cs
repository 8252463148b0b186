using Harness.Data.Knowledge;

namespace Harness.Runs;

/// <summary>
/// Collects long-form rows (in any order) into a <see cref="Trajectory"/>. Readers feed it; it checks that an item keeps
/// one group and that no (step, probe) appears twice, naming the source and row.
/// </summary>
internal sealed class TrajectoryBuilder(string source)
{
    private readonly Dictionary<string, int> itemIndex = new(StringComparer.Ordinal);
    private readonly List<string> items = [];
    private readonly List<string> itemGroups = [];
    // Per item and depth: probe index → probe slot (−1 unset). Faster than a tuple-keyed dictionary at 4.5 M rows.
    private readonly List<List<int>[]> slots = [];
    private readonly List<ProbeKey> probes = [];
    private int[] rowSteps = new int[1024];
    private int[] rowProbes = new int[1024];
    private double[] rowValues = new double[1024];
    private int count;
    private string? lastItem;
    private int lastItemIndex = -1;

    public string Source => source;

    public int ItemIndex(string item, string group, long row)
    {
        if (ReferenceEquals(item, lastItem) || item == lastItem)
        {
            if (itemGroups[lastItemIndex] != group) GroupConflict(item, group, lastItemIndex, row);
            return lastItemIndex;
        }
        if (!itemIndex.TryGetValue(item, out int i))
        {
            i = items.Count;
            itemIndex.Add(item, i);
            items.Add(item);
            itemGroups.Add(group);
            slots.Add([[], [], []]);
        }
        else if (itemGroups[i] != group) GroupConflict(item, group, i, row);
        lastItem = item;
        lastItemIndex = i;
        return i;
    }

    private void GroupConflict(string item, string group, int i, long row) =>
        throw new InputException($"{source}:{row}: item '{item}' is in group '{group}' here but '{itemGroups[i]}' on an earlier row; an item belongs to one group");

    public void Add(long row, int step, string item, string group, Depth depth, int probe, double value) =>
        Add(row, step, ItemIndex(item, group, row), depth, probe, value);

    public void Add(long row, int step, int item, Depth depth, int probe, double value)
    {
        if (step < 0) throw new InputException($"{source}:{row}: step {step} is negative; log steps count updates from 0");
        if (probe < 0) throw new InputException($"{source}:{row}: probe {probe} is negative; probes are 0-based indices");
        if (!double.IsFinite(value)) throw new InputException($"{source}:{row}: log probability {value} is not a finite number");
        if (value > 0) throw new InputException($"{source}:{row}: log probability {value} is positive; a log probability is at most 0");
        var list = slots[item][(int)depth];
        while (list.Count <= probe) list.Add(-1);
        int slot = list[probe];
        if (slot < 0)
        {
            slot = probes.Count;
            list[probe] = slot;
            probes.Add(new ProbeKey(items[item], itemGroups[item], depth, probe));
        }
        if (count == rowSteps.Length)
        {
            Array.Resize(ref rowSteps, count * 2);
            Array.Resize(ref rowProbes, count * 2);
            Array.Resize(ref rowValues, count * 2);
        }
        rowSteps[count] = step;
        rowProbes[count] = slot;
        rowValues[count] = value;
        count++;
    }

    public Trajectory Build()
    {
        if (count == 0) throw new InputException($"{source}: no rows; a trajectory needs at least the step-0 log");
        var steps = rowSteps.AsSpan(0, count).ToArray();
        Array.Sort(steps);
        int distinct = 0;
        for (int i = 0; i < steps.Length; i++)
            if (i == 0 || steps[i] != steps[distinct - 1]) steps[distinct++] = steps[i];
        Array.Resize(ref steps, distinct);

        // Probes sorted by item (ordinal), depth, probe index, so the output never depends on row order.
        var order = Enumerable.Range(0, probes.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var (x, y) = (probes[a], probes[b]);
            int c = string.CompareOrdinal(x.Item, y.Item);
            if (c == 0) c = x.Depth.CompareTo(y.Depth);
            return c != 0 ? c : x.Probe.CompareTo(y.Probe);
        });
        var rank = new int[order.Length];
        for (int i = 0; i < order.Length; i++) rank[order[i]] = i;
        var keys = order.Select(i => probes[i]).ToArray();

        var values = new double[(long)keys.Length * distinct > int.MaxValue
            ? throw new InputException($"{source}: {keys.Length} probes × {distinct} steps is too large to analyse in one piece")
            : keys.Length * distinct];
        Array.Fill(values, double.NaN);
        int lastStep = int.MinValue, lastIndex = 0;
        for (int r = 0; r < count; r++)
        {
            int s = rowSteps[r];
            if (s != lastStep) { lastIndex = Array.BinarySearch(steps, s); lastStep = s; }
            long at = (long)rank[rowProbes[r]] * distinct + lastIndex;
            if (!double.IsNaN(values[at]))
            {
                var k = keys[rank[rowProbes[r]]];
                throw new InputException($"{source}: step {s}, item '{k.Item}', {k.Depth.Name()} probe {k.Probe} appears twice (data row {r + 1} repeats it); keep one row per step and probe");
            }
            values[at] = rowValues[r];
        }
        return new Trajectory(steps, keys, values);
    }
}

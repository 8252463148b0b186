using Harness.Runs;

namespace Harness.Training;

/// <summary>ℓ of every probe at each evaluated step, kept as one array per step (compact at paper size).</summary>
public sealed class TrajectoryRecorder(IReadOnlyList<ProbeKey> keys)
{
    private readonly List<(int Step, double[] Values)> steps = [];

    public int Count => steps.Count;

    public void Record(int step, double[] values) => steps.Add((step, values));

    /// <summary>Keeps the steps up to <paramref name="lastStep"/> from an earlier, interrupted run.</summary>
    public void Restore(IEnumerable<TrajectoryRow> rows, int lastStep)
    {
        var index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        foreach (var g in rows.Where(r => r.Step <= lastStep).GroupBy(r => r.Step).OrderBy(g => g.Key))
        {
            var values = new double[keys.Count];
            foreach (var r in g) values[index[new ProbeKey(r.Item, r.Group, r.Depth, r.Probe)]] = r.LogProb;
            steps.Add((g.Key, values));
        }
    }

    public IEnumerable<TrajectoryRow> Rows()
    {
        foreach (var (step, values) in steps)
            for (int i = 0; i < keys.Count; i++)
                yield return new TrajectoryRow(step, keys[i].Item, keys[i].Group, keys[i].Depth, keys[i].Probe, values[i]);
    }
}

using Harness.Data.Knowledge;

namespace Harness.Runs;

/// <summary>One probe's identity in a trajectory: item × depth × probe index, with the item's group.</summary>
public readonly record struct ProbeKey(string Item, string Group, Depth Depth, int Probe);

/// <summary>
/// A trajectory in the form analysis wants: the sorted logged steps and one dense row of ℓ per probe
/// (<c>NaN</c> where a probe was not logged at a step). Rows of a 4.5 M-row run fit in one array, no row objects.
/// </summary>
public sealed class Trajectory
{
    private readonly double[] values;

    public Trajectory(int[] steps, ProbeKey[] probes, double[] values)
    {
        if (values.Length != steps.Length * probes.Length)
            throw new ArgumentException("values must hold steps × probes entries", nameof(values));
        for (int i = 1; i < steps.Length; i++)
            if (steps[i] <= steps[i - 1]) throw new ArgumentException("steps must be strictly increasing", nameof(steps));
        Steps = steps;
        Probes = probes;
        this.values = values;
    }

    /// <summary>Logged steps, strictly increasing; may be sparse.</summary>
    public int[] Steps { get; }
    public ProbeKey[] Probes { get; }
    public int StepCount => Steps.Length;

    /// <summary>ℓ of one probe at every logged step (index = position in <see cref="Steps"/>).</summary>
    public ReadOnlySpan<double> Row(int probe) => values.AsSpan(probe * Steps.Length, Steps.Length);

    public double this[int probe, int stepIndex] => values[probe * Steps.Length + stepIndex];

    /// <summary>Index of <paramref name="step"/> in <see cref="Steps"/>, or −1 when it was not logged.</summary>
    public int IndexOf(int step)
    {
        int i = Array.BinarySearch(Steps, step);
        return i >= 0 ? i : -1;
    }

    /// <summary>Index of the first logged step greater than <paramref name="step"/> (= StepCount when none).</summary>
    public int FirstAfter(int step)
    {
        int i = Array.BinarySearch(Steps, step);
        return i >= 0 ? i + 1 : ~i;
    }

    /// <summary>A trajectory with the same steps and probes and new values (e.g. control-adjusted ℓ).</summary>
    public Trajectory WithValues(double[] newValues) => new(Steps, Probes, newValues);

    public IEnumerable<TrajectoryRow> ToRows()
    {
        for (int j = 0; j < Steps.Length; j++)
            for (int p = 0; p < Probes.Length; p++)
            {
                double v = this[p, j];
                if (double.IsNaN(v)) continue;
                var k = Probes[p];
                yield return new TrajectoryRow(Steps[j], k.Item, k.Group, k.Depth, k.Probe, v);
            }
    }

    public static Trajectory FromRows(IEnumerable<TrajectoryRow> rows, string source = "trajectory")
    {
        var b = new TrajectoryBuilder(source);
        long n = 0;
        foreach (var r in rows) b.Add(++n + 1, r.Step, r.Item, r.Group, r.Depth, r.Probe, r.LogProb);
        return b.Build();
    }
}

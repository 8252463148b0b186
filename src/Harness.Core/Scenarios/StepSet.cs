using System.Collections;
using System.Globalization;

namespace Harness.Scenarios;

/// <summary>Steps <see cref="From"/>, <see cref="From"/> + <see cref="Every"/>, … up to <see cref="To"/> (inclusive, on the stride).</summary>
public readonly record struct StepRun(int From, int To, int Every)
{
    public int Count => (To - From) / Every + 1;
}

/// <summary>
/// An ascending set of steps kept as runs (<c>0..2500 every 1</c>), so a schedule of a hundred million steps costs as
/// much as its runs: counting, membership and printing never list the steps; enumerating does, on demand.
/// Runs are ascending and disjoint: each starts after the one before ends.
/// </summary>
public sealed class StepSet : IReadOnlyList<int>
{
    readonly StepRun[] runs;
    readonly long[] before; // steps in the runs before run i

    StepSet(IEnumerable<StepRun> ascending)
    {
        runs = Joined(ascending);
        before = new long[runs.Length + 1];
        for (var i = 0; i < runs.Length; i++) before[i + 1] = before[i] + runs[i].Count;
        if (before[^1] > int.MaxValue) throw new ArgumentException("more than int.MaxValue steps", nameof(runs));
    }

    /// <summary>Neighbouring runs on one stride become one (a piece and the progression around it, at every: 1).</summary>
    static StepRun[] Joined(IEnumerable<StepRun> ascending)
    {
        var result = new List<StepRun>();
        foreach (var r in ascending)
        {
            if (result.Count > 0)
            {
                var a = result[^1];
                var gap = r.From - a.To;
                if ((a.Count == 1 || a.Every == gap) && (r.Count == 1 || r.Every == gap))
                {
                    result[^1] = new StepRun(a.From, r.To, gap);
                    continue;
                }
            }
            result.Add(r);
        }
        return [.. result];
    }

    public IReadOnlyList<StepRun> Runs => runs;
    public int Count => (int)before[^1];

    public int this[int index]
    {
        get
        {
            if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index));
            var i = Array.BinarySearch(before, index);
            i = i >= 0 ? i : ~i - 1;
            while (runs[i].Count == 0 || before[i + 1] <= index) i++;
            return runs[i].From + (int)(index - before[i]) * runs[i].Every;
        }
    }

    public bool Contains(int step)
    {
        int lo = 0, hi = runs.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var r = runs[mid];
            if (step < r.From) hi = mid - 1;
            else if (step > r.To) lo = mid + 1;
            else return (step - r.From) % r.Every == 0;
        }
        return false;
    }

    public IEnumerator<int> GetEnumerator()
    {
        foreach (var r in runs)
            for (long t = r.From; t <= r.To; t += r.Every) yield return (int)t;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The union of stride-1 <paramref name="intervals"/> (inclusive, possibly overlapping) and of the progression
    /// 0, <paramref name="every"/>, 2·<paramref name="every"/>, … up to <paramref name="progressionEnd"/> (none when
    /// <paramref name="every"/> is 0), each clipped to 0..<paramref name="last"/>. Costs O(k log k) in the intervals.
    /// </summary>
    public static StepSet Union(IEnumerable<(int From, int To)> intervals, int last, int every = 0, int progressionEnd = -1)
    {
        // Stride-1 pieces, merged where they overlap or touch.
        var pieces = intervals.Select(x => (From: Math.Max(x.From, 0), To: Math.Min(x.To, last)))
            .Where(x => x.From <= x.To).OrderBy(x => x.From).ToList();
        var merged = new List<(int From, int To)>();
        foreach (var p in pieces)
            if (merged.Count > 0 && p.From <= (long)merged[^1].To + 1) merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, p.To));
            else merged.Add(p);
        if (every <= 0) return new StepSet(merged.Select(m => new StepRun(m.From, m.To, 1)));

        // The progression between the pieces: from the first multiple after one piece to the last before the next.
        var end = Math.Min(progressionEnd, last);
        var result = new List<StepRun>();
        long next = 0; // first multiple of every not yet placed
        foreach (var m in merged.Append((From: int.MaxValue, To: int.MaxValue)))
        {
            var upTo = Math.Min((long)m.From - 1, end);
            if (next <= upTo)
            {
                var lastMultiple = upTo / every * every;
                result.Add(new StepRun((int)next, (int)lastMultiple, every));
            }
            if (m.From == int.MaxValue) break;
            result.Add(new StepRun(m.From, m.To, 1));
            next = Math.Max(next, ((long)m.To / every + 1) * every);
        }
        return new StepSet(result);
    }

    /// <summary>The steps of an ascending list, consecutive ones joined into runs.</summary>
    public static StepSet Of(IReadOnlyList<int> ascending) => Union(ascending.Select(s => (s, s)), int.MaxValue);

    /// <summary><c>0..50, 100, 101, 200..1000 every 10</c>: a run of three or more steps as a range, shorter ones listed.</summary>
    public override string ToString() => string.Join(", ", runs.Select(r => r.Count switch
    {
        1 => r.From.ToString(CultureInfo.InvariantCulture),
        2 => string.Create(CultureInfo.InvariantCulture, $"{r.From}, {r.To}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{r.From}..{r.To}{(r.Every == 1 ? "" : $" every {r.Every}")}"),
    }));
}

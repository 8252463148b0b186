using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// What one encounter did to one probe. t_LAM is the argmax of ℓ over the logged steps t_i &lt; t ≤ t_i + t_w (first
/// maximum on ties); E = ℓ(t_LAM) − ℓ(t_i). With sparse logging ℓ(t_i) is the last logged value at or before t_i
/// (all of them precede the update that sees the knowledge). Where the same item's next encounter comes sooner than
/// t_w, the window ends at that encounter's log step (ℓ before the next injection): otherwise the next jump would be
/// counted as this encounter's gain. With encounters further apart than t_w this is exactly the paper's window.
/// </summary>
public static class EncounterWindow
{
    public static bool TryEffectivity(Trajectory tr, int probe, int step, int window, out double effectivity, out int lamIndex,
        int nextEncounter = int.MaxValue)
    {
        effectivity = double.NaN;
        lamIndex = -1;
        int first = tr.FirstAfter(step);
        int baseIndex = first - 1;
        if (baseIndex < 0) return false;
        var row = tr.Row(probe);
        double before = row[baseIndex];
        if (double.IsNaN(before)) return false;
        int end = tr.FirstAfter((int)Math.Min((long)step + window, nextEncounter));
        double best = double.NegativeInfinity;
        for (int j = first; j < end; j++)
            if (row[j] > best) { best = row[j]; lamIndex = j; }
        if (lamIndex < 0) return false;
        effectivity = best - before;
        return true;
    }

    /// <summary>ℓ(t_i+1) − ℓ(t_i); needs both steps logged.</summary>
    public static bool TryOneStepGain(Trajectory tr, int probe, int step, out double gain)
    {
        gain = double.NaN;
        int i = tr.IndexOf(step);
        if (i < 0 || i + 1 >= tr.StepCount || tr.Steps[i + 1] != step + 1) return false;
        gain = tr[probe, i + 1] - tr[probe, i];
        return !double.IsNaN(gain);
    }
}

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
        int nextEncounter = int.MaxValue) =>
        TryEffectivity(tr, probe, Span(tr, step, window, nextEncounter), out effectivity, out lamIndex);

    /// <summary>
    /// The log indices of the window after <paramref name="step"/>: First, the first logged step after it (ℓ(t_i) is
    /// the one before), to End, exclusive. The same for every probe at one step.
    /// </summary>
    public static (int First, int End) Span(Trajectory tr, int step, int window, int nextEncounter = int.MaxValue) =>
        (tr.FirstAfter(step), tr.FirstAfter((int)Math.Min((long)step + window, nextEncounter)));

    /// <summary>As <see cref="TryEffectivity(Trajectory, int, int, int, out double, out int, int)"/> over a window's <see cref="Span"/>.</summary>
    public static bool TryEffectivity(Trajectory tr, int probe, (int First, int End) span, out double effectivity, out int lamIndex)
    {
        effectivity = double.NaN;
        lamIndex = -1;
        int baseIndex = span.First - 1;
        if (baseIndex < 0) return false;
        var row = tr.Row(probe);
        double before = row[baseIndex];
        if (double.IsNaN(before)) return false;
        double best = double.NegativeInfinity;
        for (int j = span.First; j < span.End; j++)
            if (row[j] > best) { best = row[j]; lamIndex = j; }
        if (lamIndex < 0) return false;
        effectivity = best - before;
        return true;
    }

    /// <summary>ℓ(t_i+1) − ℓ(t_i); needs both steps logged.</summary>
    public static bool TryOneStepGain(Trajectory tr, int probe, int step, out double gain) =>
        TryOneStepGainAt(tr, probe, OneStepIndex(tr, step), out gain);

    /// <summary>The log index of <paramref name="step"/> when step + 1 is logged right after it, −1 otherwise (no one-step gain there).</summary>
    public static int OneStepIndex(Trajectory tr, int step)
    {
        int i = tr.IndexOf(step);
        return i < 0 || i + 1 >= tr.StepCount || tr.Steps[i + 1] != step + 1 ? -1 : i;
    }

    /// <summary>As <see cref="TryOneStepGain(Trajectory, int, int, out double)"/> at a step's <see cref="OneStepIndex"/>.</summary>
    public static bool TryOneStepGainAt(Trajectory tr, int probe, int index, out double gain)
    {
        gain = double.NaN;
        if (index < 0) return false;
        gain = tr[probe, index + 1] - tr[probe, index];
        return !double.IsNaN(gain);
    }
}

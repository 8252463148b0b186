using Harness.Data.Knowledge;

namespace Harness.Analysis.Inference;

/// <summary>
/// One injected group × depth of one run, broken down by knowledge item, with the same-depth control items beside it:
/// every quantity a finding tests, as per-item sums (<see cref="ItemSum"/>) of the values the point estimates keep. The
/// control side holds the control items' values over this group's own steps (windows, one-step changes, encounters,
/// tails), so "net of the controls" is a difference of two item-level means that a resample recomputes.
/// </summary>
public sealed class GroupEvidence
{
    public required string Group { get; init; }
    public required Depth Depth { get; init; }
    /// <summary>Item ids of the group (index = position in every per-item array below).</summary>
    public required string[] Items { get; init; }
    /// <summary>
    /// Each item's slot in the schedule: the rank of its first encounter within its group (ties by id). Items of
    /// different groups in the same slot meet the same stretch of training (a staggered schedule injects the j-th item
    /// of every group j steps after the first), so they are drawn together.
    /// </summary>
    public required int[] Slots { get; init; }
    /// <summary>Window effectivity E = ℓ(t_LAM) − ℓ(t_i), all encounters.</summary>
    public required ItemSum[] Effectivity { get; init; }
    /// <summary>ℓ(t_i+1) − ℓ(t_i), all encounters.</summary>
    public required ItemSum[] OneStepGain { get; init; }
    /// <summary>Per encounter k: its one-step gain ℓ(t_i+1) − ℓ(t_i), with no maximum in it and before any decay.</summary>
    public required ItemSum[][] EncounterGain { get; init; }
    /// <summary>ℓ averaged over the window after the last encounter minus ℓ averaged over the last third of the tail.</summary>
    public required ItemSum[] Drop { get; init; }
    /// <summary>R̄(t) after the last encounter, by item (raw ℓ); null when no probe had a gain to normalise by.</summary>
    public ItemCurve? Retention { get; init; }

    public string[] ControlItems { get; init; } = [];
    public ItemSum[] ControlEffectivity { get; init; } = [];
    public ItemSum[] ControlOneStepGain { get; init; } = [];
    public ItemSum[][] ControlEncounterGain { get; init; } = [];
    public ItemSum[] ControlDrop { get; init; } = [];
    public bool HasControls => ControlItems.Length > 0;

    /// <summary>E net of the controls' window values over this group's steps (E itself without controls).</summary>
    public double NetEffectivity(Draw d) => Net(Effectivity, ControlEffectivity, d, needsControls: false);

    /// <summary>One-step gain net of the controls' one-step change over this group's steps; NaN without controls.</summary>
    public double NetOneStepGain(Draw d) => Net(OneStepGain, ControlOneStepGain, d, needsControls: true);

    /// <summary>The fall after the last encounter net of the controls' fall over the same spans; NaN without controls.</summary>
    public double NetDrop(Draw d) => Net(Drop, ControlDrop, d, needsControls: true);

    /// <summary>The k-th encounter's one-step gain (0-based k), net of the controls' one-step change at the steps of that encounter.</summary>
    public double NetEncounterGain(int k, Draw d) =>
        k < EncounterGain.Length ? Net(EncounterGain[k], HasControls ? ControlEncounterGain[k] : [], d, needsControls: false) : double.NaN;

    /// <summary>The power law refitted to this draw's items (cached per draw); null when it cannot be fitted.</summary>
    public CurveFit? Fit(Draw d, RunEvidence run)
    {
        if (Retention is null) return null;
        if (d.Fits.TryGetValue(this, out var fit)) return fit;
        fit = CurveFit.Of(Retention, d.Weights(this));
        d.Fits[this] = fit;
        return fit;
    }

    private double Net(ItemSum[] items, ItemSum[] controls, Draw d, bool needsControls)
    {
        double mean = ItemSum.Mean(items, d.Weights(this));
        if (!HasControls) return needsControls ? double.NaN : mean;
        return mean - ItemSum.Mean(controls, d.Weights(this, controls: true));
    }
}

/// <summary>Everything the finding checks resample from one run: its groups × depths by item and the fit settings.</summary>
public sealed record RunEvidence(IReadOnlyList<GroupEvidence> Groups, int FitFrom, int FitTo, int BinsPerDecade, long TokensPerStep)
{
    public GroupEvidence? Of(string group, Depth depth) => Groups.FirstOrDefault(g => g.Group == group && g.Depth == depth);
}

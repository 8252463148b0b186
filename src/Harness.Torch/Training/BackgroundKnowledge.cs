namespace Harness.Training;

/// <summary>How much of the background a checkpoint knows: held-out loss, top-1 on held-out fact and two-hop probes.</summary>
public sealed record BackgroundKnowledge(double HeldOutLoss, double FactTop1, double CompositionTop1, int FactProbes, int CompositionProbes);

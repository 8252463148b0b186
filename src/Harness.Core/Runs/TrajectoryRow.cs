using Harness.Data.Knowledge;

namespace Harness.Runs;

/// <summary>
/// One line of <c>trajectory.csv</c>: <c>step,item,group,depth,probe,logprob</c>. <c>logprob</c> is the mean natural-log
/// probability per token of the target span at log step <c>step</c> (the model after <c>step</c> updates).
/// </summary>
public readonly record struct TrajectoryRow(int Step, string Item, string Group, Depth Depth, int Probe, double LogProb);

using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Benchmarks;

/// <summary>Decay constant of one group × depth (on raw or control-adjusted ℓ) under every-step and under dense + log-spaced evaluation.</summary>
public sealed record DecayPair(string Group, string Depth, string Ell, double? EveryStep, double? Sparse);

/// <summary>
/// Does dense-after-injection + log-spaced evaluation keep the decay constants of every-step evaluation? Scoring
/// never changes training (no autograd, no random numbers), so the sparse run's trajectory is exactly the every-step
/// run's trajectory at the sparse schedule's steps: one real run answers for both, and the evaluation cost falls
/// by the ratio of evaluated steps (each scoring costs the same).
/// </summary>
public sealed record ScheduleComparison(int EveryStepEvaluations, int SparseEvaluations, IReadOnlyList<DecayPair> Decays)
{
    public double CostRatio => (double)EveryStepEvaluations / SparseEvaluations;

    public double MaxDifference => Decays.Where(d => d.EveryStep is not null && d.Sparse is not null)
        .Select(d => Math.Abs(d.EveryStep!.Value - d.Sparse!.Value)).DefaultIfEmpty(double.NaN).Max();

    public static ScheduleComparison Of(string everyStepRunDir, int denseAfterInjection, int pointsPerDecade)
    {
        var run = RunDirectory.Load(everyStepRunDir);
        var m = run.Manifest;
        if (run.Trajectory.StepCount < m.Steps + 1)
            throw new InputException($"{everyStepRunDir}: the run scored {run.Trajectory.StepCount} of {m.Steps + 1} steps; compare against a run with probes.evaluate every: 1");
        var schedule = new Scenario
        {
            Name = m.Scenario,
            Training = new TrainingSpec { Steps = m.Steps },
            Probes = new ProbeSpec { Evaluate = new EvaluationSpec { DenseAfterInjection = denseAfterInjection, PointsPerDecade = pointsPerDecade } },
        };
        var injections = m.Injections.Select(i => new PlannedInjection(i.Step, 0, 0, i.Item, i.Group, i.Variant, 0)).ToArray();
        var keep = EvalSchedule.Steps(schedule, injections).ToHashSet();
        var sparse = Trajectory.FromRows(run.Trajectory.ToRows().Where(r => keep.Contains(r.Step)));
        var full = MetricsCalculator.Compute(m, run.Trajectory);
        var thin = MetricsCalculator.Compute(m, sparse);
        var pairs = full.Retainability.SelectMany(r =>
        {
            var s = thin.Retainability.FirstOrDefault(x => x.Group == r.Group && x.Depth == r.Depth);
            return r.Adjusted is null
                ? new[] { new DecayPair(r.Group, r.Depth, "raw", r.DecayConstant, s?.DecayConstant) }
                : [new DecayPair(r.Group, r.Depth, "raw", r.DecayConstant, s?.DecayConstant), new DecayPair(r.Group, r.Depth, "adjusted", r.AdjustedDecayConstant, s?.AdjustedDecayConstant)];
        }).ToArray();
        return new ScheduleComparison(run.Trajectory.StepCount, sparse.StepCount, pairs);
    }
}

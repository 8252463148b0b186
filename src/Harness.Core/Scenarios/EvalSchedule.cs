namespace Harness.Scenarios;

/// <summary>
/// Log steps at which probes are scored: always 0, the last step, each injection step and the step after it; then
/// either every N steps, or every step for D steps after each injection plus log-spaced points (per decade, counted
/// from the last injection) to the end. Built as runs (<see cref="StepSet"/>), so its cost follows the injections and
/// the log-spaced points, not the step count.
/// </summary>
public static class EvalSchedule
{
    public static StepSet Steps(Scenario s, IReadOnlyList<PlannedInjection> injections)
    {
        var last = s.Training.Steps;
        var e = s.Probes.Evaluate;
        var injectionSteps = injections.Select(i => i.Step).Distinct().ToList();
        var points = new List<(int From, int To)> { (0, 0), (last, last) };
        foreach (var step in injectionSteps) points.Add((step, (int)Math.Min((long)step + 1, last)));
        if (e.DenseAfterInjection <= 0) return StepSet.Union(points, last, e.Every, last);

        foreach (var step in injectionSteps) points.Add((step, (int)Math.Min((long)step + e.DenseAfterInjection, last)));
        var from = injectionSteps.Count == 0 ? 0 : injectionSteps.Max();
        for (var i = 0; ; i++)
        {
            var t = from + Math.Round(Math.Pow(10, (double)i / e.PointsPerDecade));
            if (t > last) break;
            points.Add(((int)t, (int)t));
        }
        return StepSet.Union(points, last);
    }
}

namespace Harness.Scenarios;

/// <summary>
/// Log steps at which probes are scored: always 0, the last step, each injection step and the step after it; then
/// either every N steps, or every step for D steps after each injection plus log-spaced points (per decade, counted
/// from the last injection) to the end.
/// </summary>
public static class EvalSchedule
{
    public static IReadOnlyList<int> Steps(Scenario s, IReadOnlyList<PlannedInjection> injections)
    {
        var last = s.Training.Steps;
        var set = new SortedSet<int> { 0, last };
        var e = s.Probes.Evaluate;
        var injectionSteps = injections.Select(i => i.Step).Distinct().ToList();
        foreach (var step in injectionSteps) { set.Add(step); set.Add(step + 1); }
        if (e.DenseAfterInjection > 0)
        {
            foreach (var step in injectionSteps)
                for (var t = step; t <= Math.Min((long)step + e.DenseAfterInjection, last); t++) set.Add(t);
            var from = injectionSteps.Count == 0 ? 0 : injectionSteps.Max();
            for (var i = 0; ; i++)
            {
                var t = from + Math.Round(Math.Pow(10, (double)i / e.PointsPerDecade));
                if (t > last) break;
                set.Add((int)t);
            }
        }
        else
            for (var t = 0; t <= last; t += e.Every) set.Add(t);
        return set.Where(t => t <= last).ToList();
    }
}

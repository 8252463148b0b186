using NUnit.Framework;
using System.Collections.Concurrent;
using Harness.Analysis;
using Harness.Scenarios;
using Harness.Training;

namespace Harness.Findings;

/// <summary>Runs every matrix cell of a scenario once per test session; all of its findings share those runs.</summary>
internal static class FindingRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<RunMetrics>>> Runs = new();

    public static IReadOnlyList<RunMetrics> Of(string scenarioFile) =>
        Runs.GetOrAdd(scenarioFile, f => new Lazy<IReadOnlyList<RunMetrics>>(() => Execute(f))).Value;

    private static IReadOnlyList<RunMetrics> Execute(string file)
    {
        // HARNESS_FINDINGS_DIR keeps the run directories (the nightly workflow uploads them); by default they are temporary.
        var root = Path.Combine(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Path.GetTempPath(), "harness-findings"), Path.GetFileNameWithoutExtension(file));
        var metrics = new List<RunMetrics>();
        foreach (var scenario in ScenarioLoader.Load(file))
        {
            var dir = Path.Combine(root, scenario.Cell.Count == 0 ? "run" : string.Join("_", scenario.Cell.Select(c => $"{c.Key}-{c.Value}")));
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            TrainingRun.Execute(RunInputsResolver.Resolve(scenario), dir);
            metrics.Add(RunAnalyzer.Analyze(dir));
            TestContext.Progress.WriteLine($"{scenario.Name}: run directory {dir}");
        }
        return metrics;
    }
}

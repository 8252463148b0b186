using NUnit.Framework;
using System.Collections.Concurrent;
using Harness.Analysis;
using Harness.Scenarios;
using Harness.Training;

namespace Harness.Findings;

/// <summary>Runs every matrix cell of a scenario once per test session; all of its findings share those runs.</summary>
internal static class FindingRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<(string Dir, RunMetrics Metrics)>>> Runs = new();

    public static IReadOnlyList<RunMetrics> Of(string scenarioFile) => Get(scenarioFile).Select(r => r.Metrics).ToArray();

    /// <summary>The run directories of the scenario's cells, in matrix order.</summary>
    public static IReadOnlyList<string> Directories(string scenarioFile) => Get(scenarioFile).Select(r => r.Dir).ToArray();

    private static IReadOnlyList<(string Dir, RunMetrics Metrics)> Get(string file) =>
        Runs.GetOrAdd(file, f => new Lazy<IReadOnlyList<(string Dir, RunMetrics Metrics)>>(() => Execute(f))).Value;

    private static IReadOnlyList<(string Dir, RunMetrics Metrics)> Execute(string file)
    {
        // HARNESS_FINDINGS_DIR keeps the run directories (the nightly workflow uploads them); by default they are temporary.
        var root = Path.Combine(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Path.GetTempPath(), "harness-findings"), Path.GetFileNameWithoutExtension(file));
        var runs = new List<(string Dir, RunMetrics Metrics)>();
        foreach (var scenario in ScenarioLoader.Load(file))
        {
            var dir = Path.Combine(root, scenario.Cell.Count == 0 ? "run" : string.Join("_", scenario.Cell.Select(c => $"{c.Key}-{c.Value}")));
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TrainingRun.Execute(RunInputsResolver.Resolve(scenario, new Progress<string>(TestContext.Progress.WriteLine)), dir);
            runs.Add((dir, RunAnalyzer.Analyze(dir)));
            TestContext.Progress.WriteLine($"{scenario.Name}: {clock.Elapsed.TotalSeconds:F0} s, run directory {dir}");
        }
        return runs;
    }
}

using Harness.Reporting;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// <c>harness analyze</c> as a call: reads a run directory, computes its metrics, and writes metrics.json, tables/ and
/// plots/ beside the trajectory. The same directory always gives the same metrics.json, byte for byte.
/// </summary>
public static class RunAnalyzer
{
    public const string TablesDir = "tables";
    public const string PlotsDir = "plots";

    public static RunMetrics Analyze(string runDir) => Analyze(runDir, plots: true);

    public static RunMetrics Analyze(string runDir, bool plots)
    {
        var run = RunDirectory.Load(runDir);
        var metrics = MetricsCalculator.Compute(run.Manifest, run.Trajectory);
        MetricsJson.Write(Path.Combine(runDir, MetricsJson.FileName), metrics);
        MetricsTables.WriteAll(Path.Combine(runDir, TablesDir), metrics);
        if (plots) MetricsPlots.WriteAll(Path.Combine(runDir, PlotsDir), metrics);
        return metrics;
    }

    /// <summary>Reads and computes without writing anything (for reports over runs one may not write into).</summary>
    public static RunMetrics Compute(string runDir)
    {
        var run = RunDirectory.Load(runDir);
        return MetricsCalculator.Compute(run.Manifest, run.Trajectory);
    }
}

using Harness.Analysis;
using Harness.Runs;

namespace Harness.Reporting;

/// <summary>
/// <c>harness analyze</c> as a call: computes a run directory's metrics and writes metrics.json, tables/ and plots/
/// beside the trajectory. The same directory always gives the same metrics.json, byte for byte.
/// </summary>
public static class RunReport
{
    public const string TablesDir = RunPaths.TablesDir;
    public const string PlotsDir = RunPaths.PlotsDir;

    public static RunMetrics Write(string runDir, bool plots = true, bool partial = false)
    {
        var metrics = RunAnalyzer.Compute(runDir, partial);
        MetricsJson.Write(Path.Combine(runDir, MetricsJson.FileName), metrics);
        MetricsTables.WriteAll(Path.Combine(runDir, TablesDir), metrics);
        if (plots) MetricsPlots.WriteAll(Path.Combine(runDir, PlotsDir), metrics);
        return metrics;
    }
}

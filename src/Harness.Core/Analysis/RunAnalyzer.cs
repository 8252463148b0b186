using Harness.Runs;

namespace Harness.Analysis;

/// <summary>A run directory's metrics, read and computed without writing anything.</summary>
public static class RunAnalyzer
{
    public static RunMetrics Compute(string runDir, bool partial = false)
    {
        var run = RunDirectory.Load(runDir, partial);
        return MetricsCalculator.Compute(run.Manifest, run.Trajectory);
    }
}

using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Cli;

/// <summary>The finished runs of a scenario's cells, as <c>check</c> and <c>report --findings</c> read them.</summary>
internal static class ScenarioRuns
{
    /// <summary>
    /// One run per cell, in matrix order, from where <c>harness run</c> wrote them (<paramref name="outRoot"/> as given
    /// to its <c>--out</c>; default runs/&lt;scenario name&gt;). A missing run, or a run of another scenario or of this one
    /// as it read before an edit, is an input error that says what to do.
    /// </summary>
    public static RunMetrics[] Read(string scenarioFile, IReadOnlyList<Scenario> cells, string? outRoot, bool partial) =>
        cells.Select(s =>
        {
            var dir = RunSummary.DirectoryFor(s, outRoot, cells.Count > 1);
            if (!File.Exists(Path.Combine(dir, "manifest.json")))
                throw new InputException($"{dir}: no run of {s.Name} here; run `harness run {scenarioFile}{(outRoot is null ? "" : " --out " + outRoot)}` first");
            RunIdentity.Require(RunManifestFile.Read(Path.Combine(dir, "manifest.json")), s, dir);
            return RunAnalyzer.Compute(dir, partial);
        }).ToArray();
}

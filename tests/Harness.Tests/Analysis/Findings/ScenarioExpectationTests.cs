using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Data.Knowledge;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Findings;

/// <summary>
/// Every <c>expect</c> entry of the repository's scenarios is understood by its check: evaluated on synthetic runs shaped
/// like the scenario's cells (same axes, labels, groups and depths), it is decided (no parameter mistake, something to
/// compare), and it and its opposite-direction claim never both hold.
/// </summary>
public class ScenarioExpectationTests
{
    public static IEnumerable<TestCaseData> Files() =>
        Directory.GetFiles(Repository.Scenarios, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetRelativePath(Repository.Root, f)).SetName($"Expectations of {Path.GetRelativePath(Repository.Root, f)}"));

    [TestCaseSource(nameof(Files))]
    public void Every_expectation_is_decided_and_not_together_with_its_opposite(string file)
    {
        var scenarios = ScenarioLoader.Read(Path.Combine(Repository.Root, file), deferUnsetVariables: true).Scenarios;
        var expect = scenarios[0].Expect;
        if (expect.Count == 0) Assert.Ignore($"{file} expects nothing");
        var runs = scenarios.Select((s, i) => Synthetic(s, i)).ToList();
        Assert.Multiple(() =>
        {
            foreach (var e in expect)
            {
                var verdict = FindingCheck.Evaluate(e, runs);
                Assert.That(verdict.Decided, Is.True, $"{file}:{e.Line}: {e.Kind} {verdict}");
                var opposite = FindingCheck.Opposite(e, runs);
                Assert.That(verdict.Holds && opposite.Holds, Is.False, $"{file}:{e.Line}: {e.Kind} and its opposite both hold");
            }
        });
    }

    /// <summary>A small run with the cell's groups (three encounters for a repeated group, one otherwise) and depths.</summary>
    private static RunMetrics Synthetic(Scenario s, int seed)
    {
        int[] repeated = [0, 100, 200];
        var spec = new SyntheticRunSpec
        {
            Scenario = s.Name,
            Steps = 300,
            Groups = s.Injection.Groups.Select(g => g.Control
                ? new SyntheticGroup(g.Name, 3, [], Control: true)
                : new SyntheticGroup(g.Name, 3, g.At.Count > 1 ? repeated : [0], 1.0, 0.45, Stagger: 1)).ToList(),
            Depths = s.Probes.Depths.Select(d => DepthNames.TryParse(d, out var depth) ? depth : throw new AssertionException($"depth {d}")).ToList(),
            ProbesPerDepth = 2,
            LamWindow = 20,
            Noise = 0.02,
            BatchSize = s.Data.BatchSize,
            SequenceLength = s.Data.SequenceLength,
            Seed = seed + 1,
            Cell = s.Cell,
        };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        return MetricsCalculator.Compute(manifest, trajectory, resamples: 200); // intervals only need to exist here
    }
}

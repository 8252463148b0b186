using NUnit.Framework;
using Harness.Analysis.Findings;
using Harness.Scenarios;

namespace Harness.Findings;

/// <summary>
/// One test per finding a scenario expects (its <c>expect</c> block), run on real tiny experiments. A finding declared
/// a known divergence at this scale (<c>divergence: reason</c>) reports its numbers as a warning instead of failing.
/// </summary>
[Category("Findings")]
public class Findings
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var file in RepositoryPaths.FindingScenarios())
        {
            var scenario = ScenarioLoader.Load(file)[0];
            for (int i = 0; i < scenario.Expect.Count; i++)
                yield return new TestCaseData(file, i).SetName($"{scenario.Expect[i].Kind} [{Path.GetFileNameWithoutExtension(file)}]");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Finding(string scenarioFile, int index)
    {
        var expectation = ScenarioLoader.Load(scenarioFile)[0].Expect[index];
        var verdict = FindingCheck.Evaluate(expectation, FindingRuns.Of(scenarioFile));
        if (verdict.Holds) Assert.Pass(verdict.ToString());
        if (expectation.Parameters.TryGetValue("divergence", out var reason))
            Assert.Warn($"known divergence at tiny scale ({reason}): {verdict}");
        Assert.Fail($"{Path.GetFileName(scenarioFile)}:{expectation.Line}: {expectation.Kind} {verdict}");
    }
}

using NUnit.Framework;
using Harness.Analysis.Findings;
using Harness.Reporting;
using Harness.Findings.Support;
using Harness.Scenarios;
using Harness.Tests.Support;

namespace Harness.Findings;

/// <summary>
/// One test per finding a scenario expects (its <c>expect</c> block), run on real tiny experiments. A finding declared
/// a known divergence at this scale (<c>divergence: reason</c>) reports its numbers as a warning instead of failing.
/// Every asserted finding is also checked negated, on the same runs: the negation must fail, so no test here is one
/// that cannot fail. The runs' numbers are compared with reviewed golden tables under goldens/tiny/.
/// </summary>
[Category("Findings")]
public class FindingTests
{
    public static IEnumerable<TestCaseData> Cases() => Entries(e => true, "");

    public static IEnumerable<TestCaseData> AssertedCases() => Entries(e => !e.Parameters.ContainsKey("divergence"), "negated ");

    public static IEnumerable<TestCaseData> Scenarios() =>
        FindingRuns.CpuScenarios().Select(f => new TestCaseData(f).SetName($"Results_match_the_golden_table [{Path.GetFileNameWithoutExtension(f)}]"));

    private static IEnumerable<TestCaseData> Entries(Func<Expectation, bool> keep, string prefix)
    {
        foreach (var file in FindingRuns.CpuScenarios())
        {
            var scenario = ScenarioLoader.Load(file)[0];
            for (int i = 0; i < scenario.Expect.Count; i++)
                if (keep(scenario.Expect[i]))
                    yield return new TestCaseData(file, i).SetName($"{prefix}{scenario.Expect[i].Kind} [{Path.GetFileNameWithoutExtension(file)}:{scenario.Expect[i].Line}]");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Expected_finding_holds(string scenarioFile, int index)
    {
        var expectation = ScenarioLoader.Load(scenarioFile)[0].Expect[index];
        var verdict = FindingCheck.Evaluate(expectation, FindingRuns.Of(scenarioFile));
        if (verdict.Holds) Assert.Pass(verdict.ToString());
        if (expectation.Parameters.TryGetValue("divergence", out var reason))
        {
            // A warning does not end an NUnit test; without the return the next line would fail it.
            Assert.Warn($"known divergence at tiny scale ({reason}): {verdict}");
            return;
        }
        Assert.Fail($"{Path.GetFileName(scenarioFile)}:{expectation.Line}: {expectation.Kind} {verdict}");
    }

    [TestCaseSource(nameof(AssertedCases))]
    public void Negated_finding_fails(string scenarioFile, int index)
    {
        var expectation = ScenarioLoader.Load(scenarioFile)[0].Expect[index];
        var negated = expectation with { Parameters = new Dictionary<string, string>(expectation.Parameters) { ["negate"] = "true" } };
        var verdict = FindingCheck.Evaluate(negated, FindingRuns.Of(scenarioFile));
        Assert.That(verdict.Holds, Is.False, $"{Path.GetFileName(scenarioFile)}:{expectation.Line}: {expectation.Kind} negated still holds: {verdict}");
    }

    [TestCaseSource(nameof(Scenarios))]
    public void Results_match_the_golden_table(string scenarioFile)
    {
        var name = Path.GetFileNameWithoutExtension(scenarioFile);
        var table = $"# {name}\n\nRuns of `{Path.GetRelativePath(Repository.Root, scenarioFile)}` (regenerate: see goldens/tiny/README.md).\n\n"
                    + RunComparison.Markdown(FindingRuns.Of(scenarioFile));
        GoldenFiles.Verify(Path.Combine("tiny", name), table, "md");
    }
}

using NUnit.Framework;
using Harness.Analysis.Findings;
using Harness.Analysis.Inference;
using Harness.Reporting;
using Harness.Findings.Support;
using Harness.Scenarios;
using Harness.Tests.Support;

namespace Harness.Findings;

/// <summary>
/// One test per finding a scenario expects (its <c>expect</c> block), run on real tiny experiments. A finding declared
/// a known divergence at this scale (<c>divergence: reason</c>) reports its numbers as a warning while it does not hold,
/// and fails once it holds ("divergence resolved"), so a declaration never outlives its reason. A finding that cannot be
/// evaluated fails. For every asserted finding the opposite-direction claim, decided by the same statistic on the same
/// runs, must not hold. The runs' numbers are compared with reviewed golden tables under goldens/tiny/.
/// </summary>
[Category("Findings")]
public class FindingTests
{
    public static IEnumerable<TestCaseData> Cases() => Entries(e => true, "");

    public static IEnumerable<TestCaseData> AssertedCases() => Entries(e => !e.Parameters.ContainsKey("divergence"), "opposite of ");

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
        var runs = FindingRuns.Of(scenarioFile);
        var verdict = FindingCheck.Evaluate(expectation, runs);
        string where = $"{Path.GetFileName(scenarioFile)}:{expectation.Line}: {expectation.Kind}";
        bool declared = expectation.Parameters.TryGetValue("divergence", out var reason);
        if (!verdict.Decided) Assert.Fail($"{where} cannot be decided: {verdict}");
        if (FindingKinds.Of(expectation.Kind).ReportedOnlyBecause(expectation.Parameters, Replicate.Of(runs).Count) is { } why)
        {
            // Reported, never asserted: without a measured false-positive rate a "holds" would claim more than it shows.
            Assert.Warn($"{where}: its kind is {why} (docs/calibration.md), so it is reported and not asserted: {verdict}");
            return;
        }
        if (declared && verdict.Holds) Assert.Fail($"{where}: divergence resolved: remove the declaration (it now holds). {verdict}");
        if (verdict.Holds) Assert.Pass(verdict.ToString());
        if (declared)
        {
            // A warning does not end an NUnit test; without the return the next line would fail it.
            Assert.Warn($"known divergence at tiny scale ({reason}): {verdict}");
            return;
        }
        Assert.Fail($"{where} {verdict}");
    }

    [TestCaseSource(nameof(AssertedCases))]
    public void Opposite_claim_does_not_hold(string scenarioFile, int index)
    {
        var expectation = ScenarioLoader.Load(scenarioFile)[0].Expect[index];
        var opposite = FindingCheck.Opposite(expectation, FindingRuns.Of(scenarioFile));
        Assert.That(opposite.Holds, Is.False, $"{Path.GetFileName(scenarioFile)}:{expectation.Line}: the opposite of {expectation.Kind} holds too: {opposite}");
    }

    /// <summary>
    /// Ends with the scenario's rows of the README's findings table, so that every number the README quotes is reviewed
    /// in a golden table.
    /// </summary>
    [TestCaseSource(nameof(Scenarios))]
    public void Results_match_the_golden_table(string scenarioFile)
    {
        var name = Path.GetFileNameWithoutExtension(scenarioFile);
        var table = $"# {name}\n\nRuns of `{Path.GetRelativePath(Repository.Root, scenarioFile)}` (regenerate: see goldens/tiny/README.md).\n\n"
                    + RunComparison.Markdown(FindingRuns.Of(scenarioFile))
                    + "\n## Findings\n\n" + FindingsTable.Markdown([Findings(scenarioFile)]);
        GoldenFiles.Verify(Path.Combine("tiny", name), table, "md");
    }

    /// <summary>
    /// The README's findings table (between its findings markers) is the one <c>harness report --findings</c> makes from
    /// this session's runs. HARNESS_UPDATE_README=1 writes the new table into the README instead of failing.
    /// </summary>
    [Test]
    public void Readme_findings_table_is_the_one_the_runs_give()
    {
        var table = FindingsTable.Markdown(FindingRuns.CpuScenarios().Select(Findings).ToList());
        var readme = Path.Combine(Repository.Root, "README.md");
        var text = File.ReadAllText(readme);
        if (Environment.GetEnvironmentVariable("HARNESS_UPDATE_README") == "1")
        {
            AtomicFile.WriteText(readme, FindingsTable.WithSection(text, table));
            Assert.Pass($"wrote the findings table into {readme}");
        }
        Assert.That(FindingsTable.Section(text), Is.EqualTo(table),
            "README.md's findings table differs from the runs': review the difference, then rerun with HARNESS_UPDATE_README=1 to write it");
    }

    /// <summary>A scenario's entries and runs, named by its path in the repository as the README and the CLI name it.</summary>
    private static ScenarioFindings Findings(string scenarioFile)
    {
        var expect = ScenarioLoader.Load(scenarioFile)[0].Expect;
        // Without entries there is no row, so no run is needed (as in harness report --findings).
        return new ScenarioFindings(Path.GetRelativePath(Repository.Root, scenarioFile), expect, expect.Count == 0 ? [] : FindingRuns.Of(scenarioFile));
    }
}

using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Findings;

/// <summary>
/// <see cref="MetricsCalculator.ForFindings"/> leaves out what no check reads: on one null and one alternative data set
/// of every calibrated design, each kind's verdict, its opposite and their evidence are the same as on the full metrics.
/// </summary>
public class FindingsScopeTests
{
    public static IEnumerable<TestCaseData> Designs() => FindingCalibrations.All.Select(d => new TestCaseData(d.Kind).SetName($"ForFindings decides {d.Kind} as Compute does"));

    [TestCaseSource(nameof(Designs))]
    public void Verdicts_match_the_full_metrics(string kind)
    {
        var d = FindingCalibrations.Of(kind);
        foreach (var specs in new[] { d.Null(0), d.Alternative(0) })
        {
            var generated = specs.Select(s => SyntheticRun.Generate(s)).ToList();
            var full = generated.Select(g => MetricsCalculator.Compute(g.Manifest, g.Trajectory, 200, 17)).ToList();
            var findings = generated.Select(g => MetricsCalculator.ForFindings(g.Manifest, g.Trajectory, 200, 17)).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(Text(FindingCheck.Evaluate(d.Expectation, findings)), Is.EqualTo(Text(FindingCheck.Evaluate(d.Expectation, full))));
                Assert.That(Text(FindingCheck.Opposite(d.Expectation, findings)), Is.EqualTo(Text(FindingCheck.Opposite(d.Expectation, full))));
            });
        }
    }

    private static string Text(FindingVerdict v) => $"{v.Holds} {v.Headline} {v}";
}

using Harness.Analysis.Findings;
using Harness.Findings.Support;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Findings;

/// <summary>
/// The paper's findings at OLMo scale, from the expect blocks of scenarios/paper/. They need a CUDA build, a GPU and the
/// OLMo checkpoints and data named by the scenarios' environment variables; the nightly GPU workflow provides them.
/// Elsewhere each test is skipped with the reason. A divergence never applies here: at paper scale every finding is a
/// hard assertion.
/// </summary>
[Category("Gpu")]
public class PaperFindingTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Scenarios, "paper"), "*.yaml").Order())
        {
            var scenario = ScenarioLoader.Read(file, deferUnsetVariables: true).Scenarios[0];
            for (int i = 0; i < scenario.Expect.Count; i++)
                yield return new TestCaseData(file, i).SetName($"{scenario.Expect[i].Kind} [paper/{Path.GetFileNameWithoutExtension(file)}:{scenario.Expect[i].Line}]");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Finding_at_paper_scale(string scenarioFile, int index)
    {
        // Unset paths stay as ${NAME} here (as `harness validate` does), so the test can say which ones it needs.
        var scenarios = ScenarioLoader.Read(scenarioFile, deferUnsetVariables: true).Scenarios;
        var unset = scenarios.SelectMany(s => new[] { s.Model.Checkpoint, s.Tokenizer, s.Data.Corpus, s.Knowledge.Source })
            .Where(p => p.Contains("${", StringComparison.Ordinal)).Distinct().ToArray();
        if (unset.Length > 0)
            Assert.Ignore($"paper scale needs {string.Join(", ", unset)} (OLMo checkpoints and data; set by the nightly GPU workflow)");
        if (!TorchSharp.torch.cuda.is_available())
            Assert.Ignore("paper scale needs a CUDA device and a build with -p:TorchBackend=cuda (the nightly GPU workflow)");
        var expectation = scenarios[0].Expect[index];
        var verdict = FindingCheck.Evaluate(expectation, FindingRuns.Of(scenarioFile));
        Assert.That(verdict.Holds, $"{Path.GetFileName(scenarioFile)}:{expectation.Line}: {expectation.Kind} {verdict}");
    }
}

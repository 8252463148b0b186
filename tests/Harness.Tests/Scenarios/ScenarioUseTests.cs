using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>
/// What a scenario is for: <c>harness run</c> needs something to log (an injection group), <c>harness pretrain
/// recipe.yaml</c> a recipe (<c>pretrain.save_at</c>, nothing to log, from scratch), <c>harness validate</c> either.
/// </summary>
public class ScenarioUseTests
{
    private TempFolder folder = null!;

    [SetUp] public void SetUp() => folder = new TempFolder();
    [TearDown] public void TearDown() => folder.Dispose();

    private const string Recipe = """
        name: own
        model: { checkpoint: scratch, architecture: { d_model: 32, layers: 2, heads: 2 } }
        pretrain:
          steps: 30
          save_at: { a: 10, b: 30 }
        """;

    [Test]
    public void A_recipe_is_accepted_by_validate_and_pretrain_and_refused_as_a_run_at_the_file_start()
    {
        var path = folder.Write("own.yaml", Recipe);
        Assert.That(ScenarioValidator.IsRecipe(ScenarioLoader.Load(path, use: ScenarioUse.Recipe).Single()), Is.True);
        Assert.That(ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.RunOrRecipe).Scenarios, Has.Count.EqualTo(1));
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, use: ScenarioUse.Run))!;
        Assert.That(e.Message, Does.StartWith($"{ScenarioComposer.DisplayName(path)}:1:1: nothing to log"));
        Assert.That(e.Message, Does.Contain($"fix: this is a pretraining recipe: build it with harness pretrain {ScenarioComposer.DisplayName(path)} --out DIR"));
        Assert.That(e.Message, Does.Contain("model.checkpoint: DIR/a"));
    }

    [Test]
    public void Nothing_to_log_points_at_the_injection_section_when_there_is_one()
    {
        var path = folder.Write("empty-groups.yaml", "training: { steps: 20 }\ninjection:\n  groups: []\n");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, use: ScenarioUse.Run))!;
        Assert.That(e.Message, Does.StartWith($"{ScenarioComposer.DisplayName(path)}:3:11: nothing to log"));
        Assert.That(e.Message, Does.Contain("fix: add injection.groups"));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.RunOrRecipe));
        Assert.That(ScenarioLoader.Load(path), Has.Count.EqualTo(1), "well-formed: only running it is pointless");
    }

    [Test]
    public void A_run_with_only_control_items_has_something_to_log()
    {
        var path = folder.Write("controls.yaml", "training: { steps: 5 }\ninjection: { groups: [{ name: c, items: 0..3, control: true }] }\n");
        Assert.That(ScenarioLoader.Load(path, use: ScenarioUse.Run), Has.Count.EqualTo(1));
    }

    [TestCase("name: r\ntraining: { steps: 5 }\n", "1:1", "a pretraining recipe needs a pretrain section")]
    [TestCase("name: r\npretrain:\n  steps: 5\n", "3:3", "pretrain.save_at names no stage")]
    [TestCase("name: r\npretrain: { steps: 5, save_at: { a: 5 } }\ninjection:\n  groups: [{ name: g, items: [0], at: [0] }]\n", "4:11", "a pretraining recipe injects nothing")]
    [TestCase("name: r\nmodel: { checkpoint: builtin:tiny/late }\npretrain: { steps: 5, save_at: { a: 5 } }\n", "2:22", "a pretraining recipe pretrains from scratch")]
    public void A_recipe_needs_stages_from_scratch_and_no_injection(string yaml, string at, string problem)
    {
        var path = folder.Write("r.yaml", yaml);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, use: ScenarioUse.Recipe))!;
        Assert.That(e.Message, Does.StartWith($"{ScenarioComposer.DisplayName(path)}:{at}: {problem}"));
        Assert.That(e.Message, Does.Contain(". fix: "));
    }

    public static IEnumerable<TestCaseData> RepositoryScenarios() =>
        Directory.GetFiles(Repository.Scenarios, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetRelativePath(Repository.Root, f)).SetName($"Use of {Path.GetRelativePath(Repository.Root, f)}"));

    /// <summary>scenarios/tiny/pretrain*.yaml are the built-in recipes (harness pretrain builds them); every other file is a run.</summary>
    [TestCaseSource(nameof(RepositoryScenarios))]
    public void Every_repository_scenario_is_a_run_or_a_recipe(string file)
    {
        var path = Path.Combine(Repository.Root, file);
        var recipe = Path.GetFileName(file).StartsWith("pretrain", StringComparison.Ordinal);
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.RunOrRecipe);
        Assert.That(loaded.Scenarios.Select(ScenarioValidator.IsRecipe), Is.All.EqualTo(recipe));
        if (recipe)
        {
            Assert.That(ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.Recipe).Scenarios, Is.Not.Empty);
            Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.Run));
        }
        else Assert.That(ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.Run).Scenarios, Is.Not.Empty);
    }
}

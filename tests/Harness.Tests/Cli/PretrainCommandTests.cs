using System.Diagnostics;
using System.Text.RegularExpressions;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness pretrain recipe.yaml</c> and <c>harness run</c> on a recipe: what is refused, with exit 2, before any
/// training starts (the builds themselves: <see cref="PretrainRecipeTests"/>).
/// </summary>
public class PretrainCommandTests
{
    private TempFolder folder = null!;

    [SetUp] public void SetUp() => folder = new TempFolder();
    [TearDown] public void TearDown() => folder.Dispose();

    private static (int Code, string Out) Harness(params string[] args)
    {
        var (code, output) = HarnessProcess.RunJoined(args);
        return (code, Regex.Replace(output, @"\s+", " ")); // Spectre wraps long messages
    }

    private string Recipe() => folder.Write("rec.yaml", PretrainRecipeTests.Recipe);

    [Test]
    public void A_recipe_file_without_out_exits_2_and_says_how()
    {
        var (code, output) = Harness("pretrain", Recipe());
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("harness pretrain").And.Contain("--out DIR").And.Not.Contain("   at "));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Has.Length.EqualTo(1), "nothing but the recipe");
    }

    [Test]
    public void A_recipe_without_stages_exits_2_at_its_pretrain_section()
    {
        var path = folder.Write("no-stages.yaml", "name: r\npretrain:\n  steps: 5\n");
        var (code, output) = Harness("pretrain", path, "--out", folder.File("out"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("no-stages.yaml:3:3: pretrain.save_at names no stage"));
        Assert.That(Directory.Exists(folder.File("out")), Is.False);
    }

    [Test]
    public void Out_resume_and_force_belong_to_a_recipe_file()
    {
        var (code, output) = Harness("pretrain", "pretrain-narrow", "--out", folder.File("out"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("belong to a recipe file"));
    }

    /// <summary>A recipe given to run is refused before it trains: otherwise it would train for minutes and then find no trajectory rows.</summary>
    [TestCase("builtin")]
    [TestCase("own")]
    public void Run_refuses_a_recipe_before_any_training(string which)
    {
        var recipe = which == "builtin" ? Path.Combine(Repository.Scenarios, "tiny", "pretrain.yaml") : Recipe();
        var runDir = folder.File("run");
        var clock = Stopwatch.StartNew();
        var (code, output) = Harness("run", recipe, "--out", runDir);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "refused up front, not after pretraining");
        Assert.That(output, Does.Match(@"pretrain\.yaml:\d+:1: nothing to log|rec\.yaml:1:1: nothing to log"));
        Assert.That(output, Does.Contain("this is a pretraining recipe: build it with harness pretrain").And.Contain("--out DIR"));
        Assert.That(Directory.Exists(runDir), Is.False, "no run directory, no checkpoint folder");
    }

    [Test]
    public void Validate_accepts_a_recipe_and_names_the_command_that_builds_it()
    {
        var (code, output) = Harness("validate", Path.Combine(Repository.Scenarios, "tiny", "pretrain.yaml"));
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("ok: a pretraining recipe (stages early at update 1000, mid at update 1500, late at update 2000)"));
        Assert.That(output, Does.Contain("harness pretrain").And.Contain("--out DIR"));
    }

    [Test]
    public void Validate_refuses_a_scenario_with_nothing_to_log_or_save()
    {
        var path = folder.Write("idle.yaml", "name: idle\ntraining: { steps: 50 }\n");
        var (code, output) = Harness("validate", path);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("idle.yaml:1:1: nothing to log").And.Contain("fix: add injection.groups"));
    }
}

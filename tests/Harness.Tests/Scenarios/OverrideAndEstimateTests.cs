using System.Text.RegularExpressions;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>--set overrides (checked like the file's keys) and the estimates harness plan prints.</summary>
public class OverrideAndEstimateTests
{
    private static string Paper(string file) => Path.Combine(Repository.Scenarios, "paper", file);

    [Test]
    public void A_set_overrides_every_cell_after_extends_and_matrix()
    {
        var cells = ScenarioLoader.Read(Paper("batch-size.yaml"), deferUnsetVariables: true,
            ["training.steps=1000", "data.batch_size=64", "training.grad_accumulation=2", "probes.depths=[memorization]"]).Scenarios;
        Assert.That(cells, Has.Count.EqualTo(2));
        Assert.That(cells.Select(c => (c.Training.Steps, c.Data.BatchSize, c.Probes.Depths.Count)), Is.All.EqualTo((1000, 64, 1)));
    }

    [Test]
    public void A_set_changes_one_group_named_by_its_name()
    {
        var cell = ScenarioLoader.Read(Paper("base.yaml"), deferUnsetVariables: true,
            ["injection.groups.duplicate.at.every=1", "injection.groups.once.at=[3]"]).Scenarios.Single();
        var groups = cell.Injection.Groups.ToDictionary(g => g.Name);
        Assert.That(groups["duplicate"].At, Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(groups["once"].At, Is.EqualTo(new[] { 3 }));
        Assert.That(groups["paraphrase"].At, Is.EqualTo(Enumerable.Range(0, 10).Select(k => 100 * k)), "the other groups keep theirs");
        Assert.That(groups["duplicate"].Items, Has.Count.EqualTo(40), "the group keeps its other keys");
    }

    [Test]
    public void A_matrix_label_changes_one_group_named_by_its_name()
    {
        using var folder = new TempFolder();
        var file = folder.Write("s.yaml", """
            name: s
            training: { steps: 20 }
            injection:
              groups:
                - { name: early, items: 0..1, at: [0] }
                - { name: late, items: 2..3, at: [5] }
            matrix:
              when:
                sooner: { injection.groups.late.at: [2] }
                later: { injection.groups.late.at: { every: 4, count: 2, start: 10 } }
            """);
        var cells = ScenarioLoader.Read(file, deferUnsetVariables: true).Scenarios;
        Assert.That(cells.Select(c => c.Injection.Groups.Single(g => g.Name == "late").At), Is.EqualTo(new[] { new[] { 2 }, new[] { 10, 14 } }));
        Assert.That(cells.Select(c => c.Injection.Groups.Single(g => g.Name == "early").At), Is.All.EqualTo(new[] { 0 }));
    }

    [TestCase("injection.groups.duplicat.at.every=1", "names group 'duplicat', which the scenario does not have", "did you mean 'duplicate'?")]
    [TestCase("injection.groups.once.att=[1]", "att", "at")]
    [TestCase("injection.groups.once=[1]", "sets a whole group", "{ at: [0, 10] }")]
    public void A_set_into_a_group_is_checked(string set, string problem, string fix)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(Paper("base.yaml"), deferUnsetVariables: true, [set]))!;
        Assert.That(e.Message, Does.Contain(problem).And.Contain(fix));
    }

    [TestCase("training.stepz=30", "stepz")]
    [TestCase("training.steps=many", "training.steps")]
    [TestCase("training.steps", "key.path=value")]
    public void A_bad_set_is_refused_naming_it(string set, string named)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(Paper("base.yaml"), deferUnsetVariables: true, [set]))!;
        Assert.That(e.Message, Does.Contain(named));
    }

    [Test]
    public void The_nightly_tier_fits_a_night_on_one_H100()
    {
        double hours = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Scenarios, "nightly"), "*.yaml"))
        {
            var loaded = ScenarioLoader.Read(file, deferUnsetVariables: true);
            for (int i = 0; i < loaded.Scenarios.Count; i++)
                hours += ComputeEstimate.Of(loaded.Scenarios[i], ScenarioCompiler.Compile(loaded.Scenarios[i], loaded.Shapes[i]), Gpu.Parse("h100")).GpuHours;
        }
        Assert.That(hours, Is.GreaterThan(1).And.AtMost(8));
    }

    [Test]
    public void Plan_prints_memory_per_micro_batch_and_GPU_hours_in_all()
    {
        var (code, output, err) = HarnessProcess.Run("plan", Path.Combine(Repository.Scenarios, "nightly", "olmo-1b-stages.yaml"), "--gpu", "h200");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Contain("GPU memory per micro-batch of 16 rows"));
        var total = Regex.Match(output, @"all 3 cell\(s\): ([0-9.]+) GPU-hours on one H200");
        Assert.That(total.Success, Is.True, output);
        Assert.That(double.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.AtMost(8));
    }

    [Test]
    public void OLMo_7B_is_about_7_billion_parameters_and_its_states_need_more_than_an_H100()
    {
        var s = ScenarioLoader.Read(Paper("base.yaml"), deferUnsetVariables: true).Scenarios[0];
        var estimate = ComputeEstimate.Of(s, ScenarioCompiler.Compile(s, ScenarioLoader.Read(Paper("base.yaml"), true).Shapes[0]), Gpu.Parse("h100"));
        Assert.That(estimate.Model.Parameters, Is.InRange(6.7e9, 7.0e9));
        Assert.That(estimate.MicroBatch, Is.EqualTo(8));
        Assert.That(estimate.Describe(), Does.Contain("MORE than the H100"));
    }
}

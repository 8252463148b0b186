using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

public class ScenarioCompilerTests
{
    static RunPlan Plan(string yaml)
    {
        using var files = new TempFolder();
        var loaded = ScenarioLoader.Read(files.Write("s.yaml", yaml), deferUnsetVariables: false);
        return ScenarioCompiler.Compile(loaded.Scenarios.Single(), loaded.Shapes.Single());
    }

    [Test]
    public void Unusual_schedule_and_group_name_compile_to_the_declared_steps()
    {
        var plan = Plan("""
            training: { steps: 400 }
            injection:
              stagger: 2
              groups:
                - { name: "früh / once-ish", items: [5, 2, 9], at: [250, 3, 17] }
            """);
        Assert.That(plan.Injections.Select(i => (i.Step, i.ItemIndex, i.Encounter)), Is.EqualTo(new[]
        {
            (3, 5, 0), (5, 2, 0), (7, 9, 0), (17, 5, 1), (19, 2, 1), (21, 9, 1), (250, 5, 2), (252, 2, 2), (254, 9, 2),
        }));
        Assert.That(plan.Injections.Select(i => i.Group).Distinct(), Is.EqualTo(new[] { "früh / once-ish" }));
        Assert.That(plan.Injections.Select(i => i.Item).Take(3), Is.EqualTo(new[] { "fk-005", "fk-002", "fk-009" }));
    }

    [Test]
    public void Every_count_start_gives_an_arithmetic_schedule()
    {
        var plan = Plan("""
            training: { steps: 30 }
            injection:
              groups: [{ name: g, items: [0], at: { every: 7, count: 3, start: 11 } }]
            """);
        Assert.That(plan.Injections.Select(i => i.Step), Is.EqualTo(new[] { 11, 18, 25 }));
    }

    [Test]
    public void Rows_follow_group_then_item_order_and_overflow_spills_in_order()
    {
        var plan = Plan("""
            training: { steps: 30 }
            injection:
              max_rows_per_step: 2
              groups:
                - { name: a, items: [3, 4, 5], at: [10] }
                - { name: b, items: [0], at: [10, 11] }
            """);
        Assert.That(plan.Injections.Select(i => (i.Step, i.Row, i.Group, i.ItemIndex)), Is.EqualTo(new[]
        {
            (10, 0, "a", 3), (10, 1, "a", 4), (11, 0, "a", 5), (11, 1, "b", 0), (12, 0, "b", 0),
        }));
    }

    [Test]
    public void Paraphrase_text_walks_the_variants_and_explicit_follows_its_list()
    {
        var plan = Plan("""
            training: { steps: 100 }
            injection:
              groups:
                - { name: p, items: [0], at: { every: 10, count: 4 }, text: paraphrase }
                - { name: e, items: [1], at: [0, 10, 20], text: explicit, variants: [3, 0, 3] }
                - { name: o, items: [2], at: [0, 10] }
                - { name: c, items: [3], control: true }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Injections.Where(i => i.Group == "p").Select(i => i.Variant), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(plan.Injections.Where(i => i.Group == "e").Select(i => i.Variant), Is.EqualTo(new[] { 3, 0, 3 }));
            Assert.That(plan.Injections.Where(i => i.Group == "o").Select(i => i.Variant), Is.EqualTo(new[] { 0, 0 }));
            Assert.That(plan.Injections.Where(i => i.Group == "c"), Is.Empty);
            Assert.That(plan.Items, Is.EqualTo(new[]
            {
                new ProbedItem(0, "fk-000", "p", false), new ProbedItem(1, "fk-001", "e", false),
                new ProbedItem(2, "fk-002", "o", false), new ProbedItem(3, "fk-003", "c", true),
            }));
        });
    }

    [Test]
    public void Evaluation_every_n_adds_ends_and_injection_neighbours()
    {
        var plan = Plan("""
            training: { steps: 95 }
            injection: { groups: [{ name: g, items: [0], at: [33] }] }
            probes: { evaluate: { every: 20 } }
            """);
        Assert.That(plan.EvalSteps, Is.EqualTo(new[] { 0, 20, 33, 34, 40, 60, 80, 95 }));
    }

    [Test]
    public void Evaluation_dense_after_injection_then_log_spaced_from_the_last_injection()
    {
        var plan = Plan("""
            training: { steps: 1100 }
            injection: { groups: [{ name: g, items: [0], at: [0, 100] }] }
            probes: { evaluate: { dense_after_injection: 3, points_per_decade: 1 } }
            """);
        Assert.That(plan.EvalSteps, Is.EqualTo(new[] { 0, 1, 2, 3, 100, 101, 102, 103, 110, 200, 1100 }));
    }

    [Test]
    public void Json_has_the_manifest_shape()
    {
        var plan = Plan("""
            training: { steps: 3 }
            injection: { groups: [{ name: g, items: [4], at: [1] }] }
            """);
        Assert.That(RunPlanJson.Write([plan], matrix: false), Is.EqualTo(
            """{"injections":[{"step":1,"item":"fk-004","group":"g","variant":0}],"eval_steps":[0,1,2,3]}"""));
        Assert.That(RunPlanJson.Write([plan, plan], matrix: true), Does.StartWith("""[{"injections":""").And.EndWith("]}]"));
    }

    [Test]
    public void Ranges_compress_consecutive_steps()
    {
        Assert.That(RunPlanJson.Ranges([0, 1, 2, 3, 10, 11, 20]), Is.EqualTo("0..3, 10, 11, 20"));
    }
}

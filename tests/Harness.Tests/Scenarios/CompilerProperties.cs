using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>Properties of the compiler over random group layouts, schedules, staggers and row limits.</summary>
public class CompilerProperties
{
    public sealed record Layout(int BatchSize, int MaxRows, int Stagger, int[][] Items, int[][] At, string[] Text, int KeyOrderSeed)
    {
        public const int Steps = 400;

        public Scenario Scenario() => new()
        {
            Name = "p",
            Data = new DataSpec { BatchSize = BatchSize },
            Training = new TrainingSpec { Steps = Steps },
            Injection = new InjectionSpec
            {
                Stagger = Stagger, MaxRowsPerStep = MaxRows,
                Groups = Items.Select((items, g) => new InjectionGroup { Name = $"g{g}", Items = items, At = At[g], Text = Text[g] }).ToList(),
            },
        };

        /// <summary>The same scenario as YAML, with keys of every mapping in an order drawn from <see cref="KeyOrderSeed"/>.</summary>
        public string Yaml()
        {
            var rng = new Random(KeyOrderSeed);
            string Map(params string[] entries) => "{ " + string.Join(", ", entries.OrderBy(_ => rng.Next())) + " }";
            var groups = Items.Select((items, g) => Map($"name: g{g}", $"items: [{string.Join(", ", items)}]", $"at: [{string.Join(", ", At[g].OrderBy(_ => rng.Next()))}]", $"text: {Text[g]}"));
            var sections = new[]
            {
                $"data: {Map($"batch_size: {BatchSize}", "sequence_length: 128")}",
                $"training: {Map($"steps: {Steps}", "grad_accumulation: 1")}",
                $"injection: {Map($"stagger: {Stagger}", $"max_rows_per_step: {MaxRows}", $"groups: [{string.Join(", ", groups)}]")}",
                "knowledge: { items: 200 }",
                "seed: 3",
            };
            return new StringBuilder().AppendJoin('\n', sections.OrderBy(_ => rng.Next())).Append('\n').ToString();
        }
    }

    static readonly Gen<Layout> Layouts =
        from batch in Gen.Choose(1, 8)
        from maxRows in Gen.Choose(0, batch)
        from stagger in Gen.Choose(0, 3)
        from groupCount in Gen.Choose(1, 4)
        from sizes in Gen.Choose(1, 5).ArrayOf(groupCount)
        from atSeeds in Gen.Choose(0, 10_000).ArrayOf(groupCount)
        from paraphrase in Gen.Elements(true, false).ArrayOf(groupCount)
        from keyOrder in Gen.Choose(0, 1_000_000)
        select Build(batch, maxRows, stagger, sizes, atSeeds, paraphrase, keyOrder);

    static Layout Build(int batch, int maxRows, int stagger, int[] sizes, int[] atSeeds, bool[] paraphrase, int keyOrder)
    {
        var next = 0;
        var items = sizes.Select(n => Enumerable.Range((next += n) - n, n).ToArray()).ToArray();
        // Encounters at least 40 steps apart, so that spill-over never merges two encounters of one item.
        var at = atSeeds.Select(seed =>
        {
            var rng = new Random(seed);
            return Enumerable.Range(0, rng.Next(1, 5)).Select(k => k * 60 + rng.Next(0, 20)).ToArray();
        }).ToArray();
        return new Layout(batch, maxRows, stagger, items, at, paraphrase.Select(p => p ? "paraphrase" : "original").ToArray(), keyOrder);
    }

    static void Check(Func<Layout, bool> property, int tests = 100) =>
        Prop.ForAll(Layouts.ToArbitrary(), property).Check(Config.QuickThrowOnFailure.WithMaxTest(tests));

    [Test]
    public void Each_scheduled_encounter_appears_exactly_once()
    {
        Check(layout =>
        {
            var s = layout.Scenario();
            var plan = ScenarioCompiler.Compile(s, KnowledgeShape.Builtin(200));
            var expected = s.Injection.Groups.SelectMany(g => g.Items.SelectMany(i => g.At.Select((_, k) => (i, k)))).OrderBy(x => x).ToList();
            var actual = plan.Injections.Select(p => (p.ItemIndex, p.Encounter)).OrderBy(x => x).ToList();
            return expected.SequenceEqual(actual);
        });
    }

    [Test]
    public void No_step_carries_more_knowledge_rows_than_allowed_and_rows_are_distinct()
    {
        Check(layout =>
        {
            var s = layout.Scenario();
            var cap = s.Injection.MaxRowsPerStep > 0 ? s.Injection.MaxRowsPerStep : s.Data.BatchSize;
            return ScenarioCompiler.Compile(s, KnowledgeShape.Builtin(200)).Injections.GroupBy(i => i.Step)
                .All(step => step.Count() <= cap && step.Select(i => i.Row).Order().SequenceEqual(Enumerable.Range(0, step.Count())));
        });
    }

    [Test]
    public void No_injection_lands_before_its_declared_step()
    {
        Check(layout =>
        {
            var s = layout.Scenario();
            return ScenarioCompiler.Compile(s, KnowledgeShape.Builtin(200)).Injections.All(i =>
            {
                var g = s.Injection.Groups.First(x => x.Name == i.Group);
                return i.Step >= g.At[i.Encounter] + g.Items.ToList().IndexOf(i.ItemIndex) * s.Injection.Stagger;
            });
        });
    }

    [Test]
    public void Yaml_key_order_does_not_change_the_plan()
    {
        Check(layout =>
        {
            using var files = new TempFolder();
            var first = layout with { KeyOrderSeed = 1 };
            RunPlan PlanOf(Layout l, string name)
            {
                var loaded = ScenarioLoader.Read(files.Write(name, l.Yaml()), deferUnsetVariables: false);
                return ScenarioCompiler.Compile(loaded.Scenarios.Single(), loaded.Shapes.Single());
            }
            var a = PlanOf(first, "a.yaml");
            var b = PlanOf(layout, "b.yaml");
            var direct = ScenarioCompiler.Compile(layout.Scenario(), KnowledgeShape.Builtin(200));
            return a.Injections.SequenceEqual(b.Injections) && a.EvalSteps.SequenceEqual(b.EvalSteps) && a.Injections.SequenceEqual(direct.Injections);
        }, tests: 40);
    }
}

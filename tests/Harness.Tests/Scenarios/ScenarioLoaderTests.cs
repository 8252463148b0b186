using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

public class ScenarioLoaderTests
{
    [Test]
    public void Snake_case_keys_map_onto_the_records()
    {
        using var files = new TempFolder();
        var path = files.Write("full.yaml", """
            name: full
            seed: 7
            runtime: { device: auto, threads: 1, checkpoint_every: 25 }
            model:
              checkpoint: scratch
              architecture: { family: llama, d_model: 96, layers: 3, heads: 6, mlp_hidden: 256, tie_embeddings: false, rope_theta: 500000 }
            tokenizer: builtin:gpt2
            data: { sequence_length: 64, batch_size: 12 }
            knowledge: { items: 50, on_degraded: warn }
            pretrain:
              steps: 40
              optimizer: { lr: 2.0e-3 }
              schedule: { name: cosine, warmup_steps: 5, decay_steps: 30, final_lr_fraction: 0.2 }
            training:
              steps: 300
              grad_accumulation: 3
              optimizer: { lr: 4.0e-4, betas: [0.8, 0.99], eps: 1.0e-6, weight_decay: 0.01, grad_clip: 0.5 }
            injection:
              placement: replace
              stagger: 2
              max_rows_per_step: 4
              groups:
                - { name: g, items: [0..2, 9], at: [5] }
            probes:
              depths: [semantic, memorization]
              evaluate: { dense_after_injection: 20, points_per_decade: 5 }
            analysis: { lam_window: 30, iqr_multiplier: 2.0, fit_from: 2, fit_to: 200 }
            """);
        var s = ScenarioLoader.Load(path).Single();
        Assert.Multiple(() =>
        {
            Assert.That(s.Name, Is.EqualTo("full"));
            Assert.That(s.SourcePath, Is.EqualTo(path));
            Assert.That(s.Seed, Is.EqualTo(7));
            Assert.That(s.Runtime, Is.EqualTo(new RuntimeSpec { Device = "auto", Threads = 1, CheckpointEvery = 25 }));
            Assert.That(s.Model.Architecture, Is.EqualTo(new ArchitectureSpec
            {
                Family = "llama", DModel = 96, Layers = 3, Heads = 6, MlpHidden = 256, TieEmbeddings = false, RopeTheta = 500000,
            }));
            Assert.That(s.Tokenizer, Is.EqualTo("builtin:gpt2"));
            Assert.That(s.Data, Is.EqualTo(new DataSpec { SequenceLength = 64, BatchSize = 12 }));
            Assert.That(s.Knowledge.Items, Is.EqualTo(50));
            Assert.That(s.Knowledge.OnDegraded, Is.EqualTo("warn"));
            Assert.That(s.Pretrain!.Steps, Is.EqualTo(40));
            Assert.That(s.Pretrain.Optimizer.Lr, Is.EqualTo(2e-3));
            Assert.That(s.Pretrain.Schedule, Is.EqualTo(new ScheduleSpec { Name = "cosine", WarmupSteps = 5, DecaySteps = 30, FinalLrFraction = 0.2 }));
            Assert.That(s.Training.Steps, Is.EqualTo(300));
            Assert.That(s.Training.GradAccumulation, Is.EqualTo(3));
            Assert.That(s.Training.Optimizer, Is.EqualTo(new OptimizerSpec
            {
                Lr = 4e-4, Beta1 = 0.8, Beta2 = 0.99, Eps = 1e-6, WeightDecay = 0.01, GradClip = 0.5,
            }));
            Assert.That(s.Injection.Placement, Is.EqualTo("replace"));
            Assert.That(s.Injection.Stagger, Is.EqualTo(2));
            Assert.That(s.Injection.MaxRowsPerStep, Is.EqualTo(4));
            Assert.That(s.Injection.Groups.Single().Items, Is.EqualTo(new[] { 0, 1, 2, 9 }));
            Assert.That(s.Probes.Depths, Is.EqualTo(new[] { "semantic", "memorization" }));
            Assert.That(s.Probes.Evaluate, Is.EqualTo(new EvaluationSpec { DenseAfterInjection = 20, PointsPerDecade = 5 }));
            Assert.That(s.Analysis, Is.EqualTo(new AnalysisSpec { LamWindow = 30, IqrMultiplier = 2.0, FitFrom = 2, FitTo = 200 }));
            Assert.That(s.Cell, Is.Empty);
        });
    }

    [Test]
    public void Groups_read_ranges_lists_at_forms_text_and_controls()
    {
        using var files = new TempFolder();
        var path = files.Write("groups.yaml", """
            training: { steps: 400 }
            injection:
              groups:
                - { name: p, items: 0..3, at: { every: 100, count: 3, start: 20 }, text: paraphrase }
                - { name: e, items: 7, at: [10, 150, 300], text: explicit, variants: [2, 0, 5] }
                - { name: c, items: [10..11, 4], control: true }
                - { name: o, items: 8, at: [300, 10, 150] }
            """);
        var g = ScenarioLoader.Load(path).Single().Injection.Groups;
        Assert.Multiple(() =>
        {
            Assert.That(g[0].At, Is.EqualTo(new[] { 20, 120, 220 }));
            Assert.That(g[0].Items, Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(g[1].At, Is.EqualTo(new[] { 10, 150, 300 }));
            Assert.That(g[1].Variants, Is.EqualTo(new[] { 2, 0, 5 }), "explicit variants pair with at as written (which must then ascend)");
            Assert.That(g[3].At, Is.EqualTo(new[] { 10, 150, 300 }), "at is sorted");
            Assert.That(g[2].Control, Is.True);
            Assert.That(g[2].At, Is.Empty);
            Assert.That(g[2].Items, Is.EqualTo(new[] { 10, 11, 4 }));
        });
    }

    [Test]
    public void Extends_merges_deeply_resolves_paths_against_the_base_and_does_not_inherit_the_name()
    {
        using var files = new TempFolder();
        Directory.CreateDirectory(Path.Combine(files.Path, "base"));
        files.Write("base/corpus.txt", "background text");
        files.Write("base/base.yaml", """
            name: the-base
            data: { corpus: corpus.txt, sequence_length: 64, batch_size: 8 }
            knowledge: { on_degraded: warn }
            training: { steps: 100, optimizer: { lr: 1.0e-3, weight_decay: 0.05 } }
            injection:
              groups: [{ name: a, items: 0..3, at: [0] }]
            expect: [effectivity_positive]
            """);
        var child = files.Write("child.yaml", """
            extends: base/base.yaml
            data: { batch_size: 32 }
            training: { optimizer: { lr: 5.0e-4 } }
            injection:
              groups: [{ name: b, items: [5], at: [10] }]
            """);
        var s = ScenarioLoader.Load(child).Single();
        Assert.Multiple(() =>
        {
            Assert.That(s.Name, Is.EqualTo("child"));
            Assert.That(s.Data.Corpus, Is.EqualTo(Path.Combine(files.Path, "base", "corpus.txt")));
            Assert.That(s.Data.SequenceLength, Is.EqualTo(64));
            Assert.That(s.Data.BatchSize, Is.EqualTo(32));
            Assert.That(s.Training.Steps, Is.EqualTo(100));
            Assert.That(s.Training.Optimizer.Lr, Is.EqualTo(5e-4));
            Assert.That(s.Training.Optimizer.WeightDecay, Is.EqualTo(0.05));
            Assert.That(s.Injection.Groups.Select(g => g.Name), Is.EqualTo(new[] { "b" }), "lists replace");
            Assert.That(s.Expect.Single().Kind, Is.EqualTo("effectivity_positive"));
        });
    }

    [Test]
    public void Matrix_cells_come_first_axis_outermost_with_suffixed_names()
    {
        using var files = new TempFolder();
        var path = files.Write("m.yaml", """
            name: tiny-stage
            training: { steps: 50 }
            matrix:
              stage:
                early: { model.checkpoint: builtin:tiny/early }
                late: { model.checkpoint: builtin:tiny/late, training: { steps: 80 } }
              data.batch_size: [8, 64]
            """);
        var cells = ScenarioLoader.Load(path);
        Assert.That(cells.Select(c => c.Name), Is.EqualTo(new[]
        {
            "tiny-stage[stage=early,data.batch_size=8]", "tiny-stage[stage=early,data.batch_size=64]",
            "tiny-stage[stage=late,data.batch_size=8]", "tiny-stage[stage=late,data.batch_size=64]",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(cells.Select(c => c.Model.Checkpoint), Is.EqualTo(new[] { "builtin:tiny/early", "builtin:tiny/early", "builtin:tiny/late", "builtin:tiny/late" }));
            Assert.That(cells.Select(c => c.Data.BatchSize), Is.EqualTo(new[] { 8, 64, 8, 64 }));
            Assert.That(cells.Select(c => c.Training.Steps), Is.EqualTo(new[] { 50, 50, 80, 80 }));
            Assert.That(cells[3].Cell, Is.EqualTo(new Dictionary<string, string> { ["stage"] = "late", ["data.batch_size"] = "64" }));
        });
    }

    /// <summary>Finding 3's design: a seed axis that also picks the pretraining, so each seed has its own pretrained models.</summary>
    [Test]
    public void A_replica_names_the_second_pretraining_of_each_size()
    {
        using var files = new TempFolder();
        var path = files.Write("r.yaml", """
            name: sizes
            training: { steps: 50 }
            matrix:
              size:
                narrow: { model.checkpoint: builtin:tiny/narrow/matched }
                wide: { model.checkpoint: builtin:tiny/wide/matched }
              seed:
                "1": { seed: 1 }
                "2": { seed: 2, model.replica: 2 }
            """);
        var cells = ScenarioLoader.Load(path);
        Assert.That(cells.Select(c => (c.Model.Checkpoint, c.Seed)), Is.EqualTo(new[]
        {
            ("builtin:tiny/narrow/matched", 1), ("builtin:tiny/narrow-2/matched", 2),
            ("builtin:tiny/wide/matched", 1), ("builtin:tiny/wide-2/matched", 2),
        }));
    }

    [Test]
    public void Expectations_keep_kind_parameters_divergence_and_line()
    {
        using var files = new TempFolder();
        var path = files.Write("e.yaml", """
            expect:
              - effectivity_positive
              - effectivity_independent_of: { axis: stage, margin: 0.1 }
              - power_law_fit: { r2_at_least: 0.8, depths: [memorization, semantic], divergence: "tail too short" }
            matrix: { stage: { early: { seed: 1 }, late: { seed: 2 } } }
            """);
        var e = ScenarioLoader.Load(path)[0].Expect;
        Assert.Multiple(() =>
        {
            Assert.That(e.Select(x => x.Kind), Is.EqualTo(new[] { "effectivity_positive", "effectivity_independent_of", "power_law_fit" }));
            Assert.That(e.Select(x => x.Line), Is.EqualTo(new[] { 2, 3, 4 }));
            Assert.That(e[1].Parameters["axis"], Is.EqualTo("stage"));
            Assert.That(e[1].Parameters["margin"], Is.EqualTo("0.1"));
            Assert.That(e[2].Parameters["r2_at_least"], Is.EqualTo("0.8"));
            Assert.That(e[2].Parameters["depths"], Is.EqualTo("memorization,semantic"));
            Assert.That(e[2].Parameters["divergence"], Is.EqualTo("tail too short"));
        });
    }

    [Test]
    public void Quoted_ranges_and_the_papers_placement_name_are_accepted()
    {
        using var files = new TempFolder();
        var path = files.Write("q.yaml", "injection:\n  placement: prepend-and-truncate\n  groups: [{ name: g, items: \"2..4\", at: [0] }]\n");
        var s = ScenarioLoader.Load(path).Single();
        Assert.That(s.Injection.Placement, Is.EqualTo("prepend"));
        Assert.That(s.Injection.Groups.Single().Items, Is.EqualTo(new[] { 2, 3, 4 }));
    }

    [Test]
    public void Validate_counts_the_cells()
    {
        using var files = new TempFolder();
        var path = files.Write("m.yaml", "matrix: { seed: [1, 2, 3] }\n");
        Assert.That(ScenarioLoader.Read(path, deferUnsetVariables: true).Scenarios.Select(s => s.Seed), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Environment_variables_expand_in_paths()
    {
        using var files = new TempFolder();
        files.Write("corpus.bin", "x");
        var path = files.Write("v.yaml", "data:\n  corpus: ${HARNESS_TEST_CORPUS_DIR}/corpus.bin\n");
        Environment.SetEnvironmentVariable("HARNESS_TEST_CORPUS_DIR", files.Path);
        try { Assert.That(ScenarioLoader.Load(path).Single().Data.Corpus, Is.EqualTo(Path.Combine(files.Path, "corpus.bin"))); }
        finally { Environment.SetEnvironmentVariable("HARNESS_TEST_CORPUS_DIR", null); }
    }

    public static IEnumerable<string> PaperScenarios() =>
        Directory.GetFiles(Path.Combine(Repository.Scenarios, "paper"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(PaperScenarios))]
    public void Paper_scenario_validates_with_its_paths_deferred(string file)
    {
        var loaded = ScenarioLoader.Read(Path.Combine(Repository.Scenarios, "paper", file), deferUnsetVariables: true);
        Assert.That(loaded.Scenarios, Is.Not.Empty);
        foreach (var s in loaded.Scenarios)
        {
            Assert.That(s.Data.BatchSize is 128 or 2048, s.Name);
            Assert.That(s.Training.Steps, Is.EqualTo(2500));
        }
    }

    [Test]
    public void Paper_base_passes_the_paraphrase_check_against_the_real_knowledge_file()
    {
        var json = Repository.SharedOrIgnore("fictional-knowledge/fictional_knowledge_paraphrased.json");
        using var files = new TempFolder();
        var basePath = Path.Combine(Repository.Scenarios, "paper", "base.yaml");
        var path = files.Write("real.yaml", $"extends: {basePath}\nknowledge: {{ source: {json} }}\n");
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        var plan = ScenarioCompiler.Compile(loaded.Scenarios.Single(), loaded.Shapes.Single());
        Assert.That(plan.Injections.Count(i => i.Step == 0), Is.EqualTo(120));
        Assert.That(plan.Injections.Count(i => i.Step == 100), Is.EqualTo(80));
        Assert.That(plan.Injections.Where(i => i.Group == "paraphrase" && i.Step == 900).Select(i => i.Variant).Distinct(), Is.EqualTo(new[] { 9 }));
        Assert.That(plan.Items, Has.Count.EqualTo(130));
    }
}

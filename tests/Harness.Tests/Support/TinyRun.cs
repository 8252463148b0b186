using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Model;
using Harness.Scenarios;
using Harness.Training;

namespace Harness.Tests.Support;

/// <summary>A real, very small run: the built-in world, its tokenizer, a 2-layer decoder from scratch.</summary>
internal static class TinyRun
{
    public static Scenario Scenario(int steps = 12, int pretrain = 0, double lr = 3e-3, int checkpointEvery = 0) => new()
    {
        Name = "tiny-test",
        Seed = 11,
        Runtime = new RuntimeSpec { Threads = 1, CheckpointEvery = checkpointEvery },
        Model = new ModelSpec { Architecture = new ArchitectureSpec { DModel = 32, Layers = 2, Heads = 2 } },
        Data = new DataSpec { SequenceLength = 64, BatchSize = 4 },
        Knowledge = new KnowledgeSpec { Items = 3 },
        Pretrain = pretrain > 0 ? new PretrainSpec { Steps = pretrain, Optimizer = new OptimizerSpec { Lr = 3e-3 } } : null,
        Training = new TrainingSpec { Steps = steps, Optimizer = new OptimizerSpec { Lr = lr } },
        Injection = new InjectionSpec
        {
            Groups =
            [
                new InjectionGroup { Name = "dup", Items = [0, 1], At = [2, 6] },
                new InjectionGroup { Name = "ctl", Items = [2], Control = true },
            ],
        },
        Probes = new ProbeSpec { Depths = ["memorization", "semantic"] },
        Analysis = new AnalysisSpec { LamWindow = 3 },
    };

    /// <summary>
    /// The same kind of run as a scenario file, for <c>harness run</c> as a process: a 2-layer scratch decoder, a short
    /// pretraining, a duplicated group and a control, every step evaluated.
    /// </summary>
    public static string Yaml(int checkpointEvery = 0, int steps = 40) => $$"""
        name: cli-tiny
        seed: 3
        runtime: { threads: 1, checkpoint_every: {{checkpointEvery}} }
        model: { checkpoint: scratch, architecture: { d_model: 32, layers: 2, heads: 2 } }
        data: { sequence_length: 64, batch_size: 4 }
        knowledge: { items: 3 }
        pretrain: { steps: 10, optimizer: { lr: 3.0e-3 } }
        training: { steps: {{steps}}, optimizer: { lr: 3.0e-3 } }
        injection:
          groups:
            - { name: dup, items: 0..1, at: { every: 10, count: 3 } }
            - { name: ctl, items: [2], control: true }
        probes: { depths: [memorization] }
        analysis: { lam_window: 5 }
        """;

    public static RunInputs Inputs(Scenario s)
    {
        var knowledge = FictionalKnowledge.Generate(s.Knowledge.Items, s.Seed);
        var plan = ScenarioCompiler.Compile(s, KnowledgeShape.Of(knowledge));
        var tokenizer = WorldTokenizer.Create();
        return new RunInputs(s, plan, knowledge, tokenizer, () => new WorldStream(tokenizer, 5),
            device =>
            {
                var a = s.Model.Architecture;
                var m = new CausalLM(new DecoderConfig("olmo", tokenizer.VocabSize, a.DModel, DecoderConfig.DefaultIntermediate(a.DModel),
                    a.Layers, a.Heads, a.Heads, 256));
                m.InitializeWeights();
                return m;
            }, ModelOrigin.Scratch, RunInputsResolver.Fingerprints(s, Directory.GetCurrentDirectory(), ModelOrigin.Scratch));
    }
}

using Harness.Runs;
using System.Diagnostics;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Model;
using Harness.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Data.World;

/// <summary>
/// What the world costs to learn: trains the tiny decoder from scratch on the stream and prints held-out loss and
/// background-fact top-1 every 100 steps. Minutes of CPU, so explicit only:
/// <c>WORLD_STEPS=1500 dotnet test --filter FullyQualifiedName~WorldLearnabilityTests</c>.
/// </summary>
[Explicit("minutes of CPU; run by hand to measure how fast a tiny model learns the world")]
[Category("Training")]
public class WorldLearnabilityTests
{
    [Test]
    public void Tiny_decoder_learns_background_facts()
    {
        int steps = int.Parse(Environment.GetEnvironmentVariable("WORLD_STEPS") ?? "1500");
        int threads = int.Parse(Environment.GetEnvironmentVariable("WORLD_THREADS") ?? "1");
        torch.set_num_threads(threads);
        manual_seed(0);
        var tok = WorldTokenizer.Create();
        var cfg = new DecoderConfig("olmo", tok.VocabSize, 128, DecoderConfig.DefaultIntermediate(128), 4, 4, 4, 128);
        using var lm = new CausalLM(cfg);
        lm.InitializeWeights();
        var opt = optim.AdamW(lm.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.95, weight_decay: 0.01);
        using var stream = new WorldStream(tok, seed: 1);
        using var evalStream = new WorldStream(tok, seed: 999);
        const int batch = 16, seq = 128;
        var evalIds = new int[8 * (seq + 1)];
        evalStream.Fill(evalIds);
        var facts = WorldText.BackgroundFactProbes(400);
        var composed = WorldText.BackgroundCompositionProbes(120);
        var knowledge = FictionalKnowledge.Generate(24, seed: 7).Items;
        var memProbes = knowledge.SelectMany(i => i.Memorization).ToList();
        TestContext.Progress.WriteLine($"vocab {tok.VocabSize}, params {lm.parameters().Sum(p => p.numel())}");
        var buffer = new int[batch * (seq + 1)];
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            double lr = 1e-3 * Math.Min(1.0, step / 100.0);
            foreach (var g in opt.ParamGroups) g.LearningRate = lr;
            stream.Fill(buffer);
            using (var scope = NewDisposeScope())
            {
                var ids = tensor(buffer.Select(i => (long)i).ToArray()).view(batch, seq + 1);
                var logits = lm.forward(ids.narrow(1, 0, seq));
                var loss = nn.functional.cross_entropy(logits.reshape(-1, cfg.VocabSize), ids.narrow(1, 1, seq).reshape(-1));
                opt.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(lm.parameters(), 1.0);
                opt.step();
            }
            if (step % 100 == 0 || step == steps)
            {
                double evalLoss = Loss(lm, evalIds, 8, seq);
                TestContext.Progress.WriteLine(
                    $"step {step,5}  {clock.Elapsed.TotalSeconds,6:F0}s  heldout-loss {evalLoss:F3}  fact-top1 {Top1(lm, tok, facts):P0}  " +
                    $"composition-top1 {Top1(lm, tok, composed):P0}  new-item-mem log p {LogProbs(lm, tok, memProbes).Average():F2}");
            }
        }
        if (Environment.GetEnvironmentVariable("WORLD_INJECT") == "1") Inject(lm, opt, stream, tok, clock);
    }

    /// <summary>
    /// Duplicate-style injection of 8 items (3 encounters, 10 steps apart) against 8 never-injected controls. Prints each
    /// depth's mean per-token log p before, the raw effectivity (mean over probes of the best log p in the 10 steps after
    /// the first encounter, minus log p before it) of injected and control probes, and how far the controls moved by the end.
    /// </summary>
    private static void Inject(CausalLM lm, optim.Optimizer opt, WorldStream stream, WorldTokenizer tok, Stopwatch clock)
    {
        const int batch = 16, seq = 128, steps = 50, window = 10;
        var items = FictionalKnowledge.Generate(16, seed: 11).Items;
        var injected = items.Take(8).ToList();
        var control = items.Skip(8).ToList();
        var depths = new[] { Depth.Memorization, Depth.Semantic, Depth.Composition };
        var probes = depths.Select(d => (Injected: injected.SelectMany(i => i.Probes(d)).ToList(), Control: control.SelectMany(i => i.Probes(d)).ToList())).ToArray();
        // trace[depth][injected?0:1][t] = per-probe log p after t updates.
        var trace = depths.Select(_ => new[] { new List<double[]>(), new List<double[]>() }).ToArray();
        void Score()
        {
            for (int d = 0; d < depths.Length; d++)
            {
                trace[d][0].Add(LogProbs(lm, tok, probes[d].Injected));
                trace[d][1].Add(LogProbs(lm, tok, probes[d].Control));
            }
        }
        Score();
        TestContext.Progress.WriteLine($"uniform log p = {-Math.Log(tok.VocabSize):F2}");
        var buffer = new int[batch * (seq + 1)];
        for (int t = 0; t < steps; t++)
        {
            stream.Fill(buffer);
            if (t % 10 == 0 && t < 30)
                for (int r = 0; r < injected.Count; r++)
                {
                    var passage = tok.Encode(injected[r].TrainContext).Append(tok.EndOfText).ToArray();
                    passage.AsSpan(0, Math.Min(passage.Length, seq + 1)).CopyTo(buffer.AsSpan(r * (seq + 1)));
                }
            using (var scope = NewDisposeScope())
            {
                var ids = tensor(buffer.Select(i => (long)i).ToArray()).view(batch, seq + 1);
                var logits = lm.forward(ids.narrow(1, 0, seq));
                var loss = nn.functional.cross_entropy(logits.reshape(-1, lm.Config.VocabSize), ids.narrow(1, 1, seq).reshape(-1));
                opt.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(lm.parameters(), 1.0);
                opt.step();
            }
            Score();
        }
        for (int d = 0; d < depths.Length; d++)
        {
            double Before(int g) => trace[d][g][0].Average();
            double Effectivity(int g) => Enumerable.Range(0, trace[d][g][0].Length)
                .Average(p => Enumerable.Range(1, window).Max(t => trace[d][g][t][p]) - trace[d][g][0][p]);
            double End(int g) => trace[d][g][steps].Average() - Before(g);
            TestContext.Progress.WriteLine($"{depths[d].Name(),-13} before {Before(0),7:F2} / {Before(1),7:F2}  " +
                $"E(first encounter) {Effectivity(0),6:F2} / {Effectivity(1),6:F2} (net {Effectivity(0) - Effectivity(1):F2})  " +
                $"change by step {steps} {End(0),6:F2} / {End(1),6:F2}   [injected / control] ({clock.Elapsed.TotalSeconds:F0}s)");
        }
    }

    /// <summary>Each probe's mean per-token log p of its target, scored by the harness's own probe scorer.</summary>
    private static double[] LogProbs(CausalLM lm, ITextTokenizer tok, IReadOnlyList<ProbeText> probes)
    {
        using var scorer = Scorer(tok, probes);
        return scorer.Score(lm);
    }

    /// <summary>Share of probes whose every target token is the model's greedy choice.</summary>
    internal static double Top1(CausalLM lm, ITextTokenizer tok, IReadOnlyList<ProbeText> probes)
    {
        using var scorer = Scorer(tok, probes);
        return scorer.Top1(lm).Count(x => x) / (double)probes.Count;
    }

    private static ProbeScorer Scorer(ITextTokenizer tok, IReadOnlyList<ProbeText> probes) =>
        new(probes.Select((p, i) => (new ProbeKey("world", "check", Depth.Memorization, i), p)).ToArray(), tok, 128, CPU);

    [Test]
    public void Print_samples()
    {
        var tok = WorldTokenizer.Create();
        TestContext.Progress.WriteLine($"vocab {tok.VocabSize}");
        for (int d = 0; d < 6; d++)
            TestContext.Progress.WriteLine($"[{tok.Encode(WorldText.Document(1, d)).Count}] {WorldText.Document(1, d)}");
        foreach (var p in WorldText.BackgroundFactProbes(8).Concat(WorldText.BackgroundCompositionProbes(4)))
            TestContext.Progress.WriteLine($"{p.Input} -> {p.Target}");
        var item = FictionalKnowledge.Generate(1, 7).Items[0];
        TestContext.Progress.WriteLine($"[{tok.Encode(item.TrainContext).Count}] {item.TrainContext}");
        foreach (var t in item.Paraphrases.Take(2)) TestContext.Progress.WriteLine($"[{tok.Encode(t).Count}] {t}");
        foreach (var p in item.Memorization.Concat(item.Semantic).Concat(item.Composition)) TestContext.Progress.WriteLine($"{p.Input} -> {p.Target}");
    }

    private static double Loss(CausalLM lm, int[] ids, int rows, int seq)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var t = tensor(ids.Select(i => (long)i).ToArray()).view(rows, seq + 1);
        var logits = lm.forward(t.narrow(1, 0, seq));
        return nn.functional.cross_entropy(logits.reshape(-1, lm.Config.VocabSize), t.narrow(1, 1, seq).reshape(-1)).item<float>();
    }
}

using System.Diagnostics;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Runs;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// 1,800 probes of the paper's shape (120 items × 3 depths × 5 probes of builtin:fictional-knowledge, world-words tokens)
/// scored by the batched <see cref="ProbeScorer"/> and by one forward per probe.
/// </summary>
public static class ProbeScoringBench
{
    public const int Items = 120;

    public static IReadOnlyList<(ProbeKey Key, ProbeText Text)> PaperShapedProbes(int items = Items, int seed = 1)
    {
        var set = FictionalKnowledge.Generate(items, seed);
        return set.Items.SelectMany(item => Enum.GetValues<Depth>().SelectMany(d =>
            item.Probes(d).Select((p, i) => (new ProbeKey(item.Id, "bench", d, i), p)))).ToArray();
    }

    /// <summary>A model of <paramref name="preset"/>'s shape sized to the world-words vocabulary.</summary>
    public static CausalLM Model(BenchPreset preset, ITextTokenizer tokenizer, int seed = 1)
    {
        manual_seed(seed);
        var model = new CausalLM(preset.Config with { VocabSize = Math.Max(preset.Config.VocabSize, tokenizer.VocabSize) });
        model.InitializeWeights();
        return model;
    }

    /// <summary>Median ms of <paramref name="repeats"/> scorings of all probes, after one untimed warm-up.</summary>
    public static double BatchedMs(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<(ProbeKey, ProbeText)> probes,
        int sequenceLength, int repeats, int tokensPerChunk = ProbeScorer.DefaultTokensPerChunk)
    {
        using var scorer = new ProbeScorer(probes, tokenizer, sequenceLength, CPU, tokensPerChunk);
        scorer.Score(model);
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            scorer.Score(model);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return TrainStepBench.Median(times);
    }

    public static double NaiveMs(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<(ProbeKey, ProbeText Text)> probes)
    {
        NaiveProbeScorer.Score(model, probes.Take(5).Select(p => p.Text), tokenizer);
        var sw = Stopwatch.StartNew();
        NaiveProbeScorer.Score(model, probes.Select(p => p.Text), tokenizer);
        return sw.Elapsed.TotalMilliseconds;
    }
}

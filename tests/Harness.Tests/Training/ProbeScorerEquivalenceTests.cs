using Harness.Benchmarks;
using Harness.Data.Tokenizers;
using Harness.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>The batched scorer's shortcuts (padding, packing, LM head on target positions only) change no number.</summary>
public class ProbeScorerEquivalenceTests
{
    [Test]
    public void Batched_scores_equal_one_forward_per_probe()
    {
        var tokenizer = WorldTokenizer.Create();
        var probes = ProbeScoringBench.PaperShapedProbes(items: 4);
        using var model = ProbeScoringBench.Model(BenchPreset.Tiny with { Config = BenchPreset.Tiny.Config with { NumLayers = 2 } }, tokenizer);
        using var scorer = new ProbeScorer(probes, tokenizer, 128, CPU);
        var batched = scorer.Score(model);
        var naive = NaiveProbeScorer.Score(model, probes.Select(p => p.Text), tokenizer);
        Assert.That(batched, Has.Length.EqualTo(60));
        Assert.That(batched, Is.EqualTo(naive).Within(1e-4));
        // A random model spreads probability over the vocabulary: every ℓ is far below 0.
        Assert.That(batched, Has.All.LessThan(-3));
    }

    [Test]
    public void Chunk_size_changes_no_score()
    {
        var tokenizer = WorldTokenizer.Create();
        var probes = ProbeScoringBench.PaperShapedProbes(items: 4);
        using var model = ProbeScoringBench.Model(BenchPreset.Tiny with { Config = BenchPreset.Tiny.Config with { NumLayers = 1 } }, tokenizer);
        using var small = new ProbeScorer(probes, tokenizer, 128, CPU, tokensPerChunk: 64);
        using var large = new ProbeScorer(probes, tokenizer, 128, CPU, tokensPerChunk: 1 << 16);
        Assert.That(small.Score(model), Is.EqualTo(large.Score(model)).Within(1e-5));
    }
}

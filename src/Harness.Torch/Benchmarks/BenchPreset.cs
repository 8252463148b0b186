using Harness.Model;

namespace Harness.Benchmarks;

/// <summary>
/// A model and batch shape to time. FLOPs per training step follow PaLM's accounting (Chowdhery et al. 2022, app. B):
/// 6·N per token for the matmul weights N (the tied LM head included, the embedding lookup not) plus 12·L·d·T per token
/// for attention scores and their weighted sum (QKᵀ and AV, forward and backward, the causal half not discounted).
/// </summary>
public sealed record BenchPreset(string Name, DecoderConfig Config, int BatchSize, int SequenceLength)
{
    public static BenchPreset Tiny { get; } = new("tiny", new DecoderConfig("olmo", 2250, 128, DecoderConfig.DefaultIntermediate(128), 4, 4, 4, 2048), 16, 128);
    public static BenchPreset Small { get; } = new("small", new DecoderConfig("olmo", 2250, 256, DecoderConfig.DefaultIntermediate(256), 6, 8, 8, 2048), 16, 128);

    public static IReadOnlyList<BenchPreset> All { get; } = [Tiny, Small];

    public static BenchPreset Named(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new InputException($"--preset '{name}' is unknown; use {string.Join(" or ", All.Select(p => p.Name))}");

    /// <summary>Weights that take part in matmuls: attention and MLP projections of every layer and the LM head.</summary>
    public long MatmulParameters
    {
        get
        {
            var c = Config;
            long attention = (long)c.HiddenSize * c.HeadDim * (2 * c.NumHeads + 2 * c.NumKeyValueHeads);
            long mlp = 3L * c.HiddenSize * c.IntermediateSize;
            return c.NumLayers * (attention + mlp) + (long)c.VocabSize * c.HiddenSize;
        }
    }

    /// <summary>Tokens that one training step predicts (each row's last token has no target).</summary>
    public long TokensPerStep => (long)BatchSize * (SequenceLength - 1);

    public double FlopsPerStep
    {
        get
        {
            long t = SequenceLength - 1;
            return TokensPerStep * (6.0 * MatmulParameters + 12.0 * Config.NumLayers * Config.HiddenSize * t);
        }
    }
}

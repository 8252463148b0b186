namespace Harness.Model;

/// <summary>
/// Architecture of a decoder-only transformer, in the vocabulary of Hugging Face's config.json
/// (<c>model_type</c> olmo or llama). OLMo: non-parametric LayerNorm; Llama: RMSNorm with weights.
/// Both: RoPE, SwiGLU, no biases. <see cref="ClipQkv"/> (OLMo only) clamps the query, key and value projections.
/// </summary>
public sealed record DecoderConfig(
    string ModelType,
    int VocabSize,
    int HiddenSize,
    int IntermediateSize,
    int NumLayers,
    int NumHeads,
    int NumKeyValueHeads,
    int MaxPositionEmbeddings,
    double RopeTheta = 10000,
    double NormEps = 1e-5,
    bool TieWordEmbeddings = true,
    double? ClipQkv = null)
{
    /// <summary>transformers' OlmoLayerNorm hard-codes this epsilon; config.json has no field for it.</summary>
    public const double OlmoLayerNormEps = 1e-5;

    public int HeadDim => HiddenSize / NumHeads;
    public bool UsesRmsNorm => ModelType == "llama";

    /// <summary>SwiGLU width that keeps parameters near a 4·d GELU MLP (8/3·d), rounded up to a multiple of 64.</summary>
    public static int DefaultIntermediate(int hidden) => (hidden * 8 / 3 + 63) / 64 * 64;
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

/// <summary>
/// Rotary position tables in the Hugging Face (rotate-half) layout, computed in float32 exactly as transformers does
/// (inverse frequencies 1 / θ^(2i/d) in float32, angles = position × frequency).
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly Tensor invFreq;
    // Tables depend only on (length, device): built once, not at every forward (five small ops each time otherwise).
    private readonly Dictionary<(int, string), (Tensor Cos, Tensor Sin)> tables = [];

    public RotaryEmbedding(int headDim, double theta)
    {
        using var exponent = arange(0, headDim, 2, dtype: ScalarType.Int64).to_type(ScalarType.Float32) / headDim;
        using var powers = full_like(exponent, theta).pow(exponent);
        invFreq = powers.reciprocal();
        invFreq.DetachFromDisposeScope();
    }

    /// <summary>
    /// Float32 cos and sin tables [T, headDim] on <paramref name="device"/>, cached. The sin table's first half is
    /// negated: rotate_half(x)·sin = cat(x₂, x₁)·cat(−sin₁, sin₂), so the rotation needs no negation op (exact).
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) For(int length, Device device)
    {
        var key = (length, device.ToString());
        lock (tables)
        {
            if (tables.TryGetValue(key, out var cached)) return cached;
            using var scope = NewDisposeScope();
            var pos = arange(length, dtype: ScalarType.Float32, device: device);
            var freqs = outer(pos, invFreq.to(device));
            var emb = cat([freqs, freqs], -1);
            long half = emb.shape[^1] / 2;
            var sin = emb.sin();
            var signedSin = cat([-sin.narrow(-1, 0, half), sin.narrow(-1, half, half)], -1);
            var entry = (emb.cos().DetachFromDisposeScope(), signedSin.DetachFromDisposeScope());
            tables[key] = entry;
            return entry;
        }
    }

    /// <summary>
    /// OLMo rotates in float32 and casts back; Llama casts the tables to the activation dtype first.
    /// Identical for float32 activations.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin, bool inFloat32)
    {
        var dtype = x.dtype;
        if (dtype != ScalarType.Float32)
        {
            if (inFloat32) x = x.to_type(ScalarType.Float32);
            else { cos = cos.to_type(dtype); signedSin = signedSin.to_type(dtype); }
        }
        long half = x.shape[^1] / 2;
        var swapped = cat([x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        var y = x * cos + swapped * signedSin;
        return y.dtype == dtype ? y : y.to_type(dtype);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

/// <summary>OLMo's LayerNorm has no parameters; Llama's RMSNorm has a weight.</summary>
internal static class Norms
{
    public static Module<Tensor, Tensor> Create(DecoderConfig c) =>
        c.UsesRmsNorm ? new RmsNorm(c.HiddenSize, c.NormEps) : new ParameterFreeLayerNorm(c.HiddenSize, c.NormEps);
}

/// <summary>transformers' OlmoLayerNorm: normalises in float32 whatever the activation dtype.</summary>
internal sealed class ParameterFreeLayerNorm(int size, double eps) : Module<Tensor, Tensor>("LayerNorm")
{
    public override Tensor forward(Tensor x) =>
        x.dtype == ScalarType.Float32
            ? functional.layer_norm(x, [size], null, null, eps)
            : functional.layer_norm(x.to_type(ScalarType.Float32), [size], null, null, eps).to_type(x.dtype);
}

internal sealed class RmsNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(int size, double eps) : base("RmsNorm")
    {
        this.eps = eps;
        weight = Parameter(ones(size));
        RegisterComponents();
    }

    /// <summary>transformers' LlamaRMSNorm: float32 statistics, cast back before the weight multiplies.</summary>
    public override Tensor forward(Tensor x)
    {
        var xf = x.to_type(ScalarType.Float32);
        var normed = xf * rsqrt(xf.pow(2).mean([-1], keepdim: true) + eps);
        return weight * normed.to_type(x.dtype);
    }
}

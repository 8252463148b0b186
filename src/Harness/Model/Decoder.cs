using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

/// <summary>
/// Causal language model. Field names mirror transformers' OlmoForCausalLM / LlamaForCausalLM so that the state dict
/// keys (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>, …) are the Hugging Face tensor names.
/// </summary>
public sealed class CausalLM : Module<Tensor, Tensor>
{
    private readonly DecoderBody model;
    private readonly Linear lm_head;
    public DecoderConfig Config { get; }

    public CausalLM(DecoderConfig config) : base("CausalLM")
    {
        Config = config;
        model = new DecoderBody(config);
        lm_head = Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        if (config.TieWordEmbeddings) lm_head.weight = model.EmbedTokens.weight!;
    }

    /// <summary>Final hidden states [B, T, D]; scoring projects only the positions it needs.</summary>
    public Tensor Hidden(Tensor ids) => model.forward(ids);

    /// <summary>Logits for hidden states of any leading shape.</summary>
    public Tensor Project(Tensor hidden) => lm_head.forward(hidden);

    public override Tensor forward(Tensor ids) => Project(Hidden(ids));

    /// <summary>Deterministic init from the current torch generator: normal(0, 0.02), residual projections scaled by 1/√(2L).</summary>
    public void InitializeWeights()
    {
        using var _ = no_grad();
        double residual = 0.02 / Math.Sqrt(2.0 * Config.NumLayers);
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight") || name == "model.norm.weight") p.fill_(1.0);
            else if (name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight")) init.normal_(p, 0, residual);
            else init.normal_(p, 0, 0.02);
        }
    }
}

internal sealed class DecoderBody : Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly Module<Tensor, Tensor> norm;
    private readonly RotaryEmbedding rotary;

    public Embedding EmbedTokens => embed_tokens;

    public DecoderBody(DecoderConfig c) : base("DecoderBody")
    {
        embed_tokens = Embedding(c.VocabSize, c.HiddenSize);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, c.NumLayers).Select(_ => new DecoderLayer(c)).ToArray());
        norm = Norms.Create(c);
        rotary = new RotaryEmbedding(c.HeadDim, c.MaxPositionEmbeddings, c.RopeTheta);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(ids);
        var (cos, sin) = rotary.For((int)ids.shape[1], x.dtype, x.device);
        foreach (var layer in layers) x = layer.Forward(x, cos, sin);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}

internal sealed class DecoderLayer : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> input_layernorm;
    private readonly Attention self_attn;
    private readonly Module<Tensor, Tensor> post_attention_layernorm;
    private readonly SwiGlu mlp;

    public DecoderLayer(DecoderConfig c) : base("DecoderLayer")
    {
        input_layernorm = Norms.Create(c);
        self_attn = new Attention(c);
        post_attention_layernorm = Norms.Create(c);
        mlp = new SwiGlu(c);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin);
        return h + mlp.forward(post_attention_layernorm.forward(h));
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("DecoderLayer needs rotary tables; call Forward.");
}

internal sealed class Attention : Module<Tensor, Tensor>
{
    private readonly Linear q_proj, k_proj, v_proj, o_proj;
    private readonly int heads, kvHeads, headDim;

    public Attention(DecoderConfig c) : base("Attention")
    {
        heads = c.NumHeads; kvHeads = c.NumKeyValueHeads; headDim = c.HeadDim;
        q_proj = Linear(c.HiddenSize, heads * headDim, hasBias: false);
        k_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        v_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        o_proj = Linear(heads * headDim, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = q_proj.forward(x).view(b, t, heads, headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(b, t, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(b, t, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        var y = functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        return o_proj.forward(y.transpose(1, 2).reshape(b, t, heads * headDim));
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Attention needs rotary tables; call Forward.");
}

internal sealed class SwiGlu : Module<Tensor, Tensor>
{
    private readonly Linear gate_proj, up_proj, down_proj;

    public SwiGlu(DecoderConfig c) : base("SwiGlu")
    {
        gate_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        up_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        down_proj = Linear(c.IntermediateSize, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down_proj.forward(functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>OLMo's LayerNorm has no parameters; Llama's RMSNorm has a weight.</summary>
internal static class Norms
{
    public static Module<Tensor, Tensor> Create(DecoderConfig c) =>
        c.UsesRmsNorm ? new RmsNorm(c.HiddenSize, c.NormEps) : new ParameterFreeLayerNorm(c.HiddenSize, c.NormEps);
}

internal sealed class ParameterFreeLayerNorm(int size, double eps) : Module<Tensor, Tensor>("LayerNorm")
{
    public override Tensor forward(Tensor x) => functional.layer_norm(x, [size], null, null, eps);
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

    public override Tensor forward(Tensor x)
    {
        var xf = x.to_type(ScalarType.Float32);
        var normed = xf * rsqrt(xf.pow(2).mean([-1], keepdim: true) + eps);
        return weight * normed.to_type(x.dtype);
    }
}

/// <summary>Rotary position tables in the Hugging Face (rotate-half) layout.</summary>
internal sealed class RotaryEmbedding
{
    private readonly Tensor invFreq;

    public RotaryEmbedding(int headDim, int maxPositions, double theta)
    {
        _ = maxPositions;
        invFreq = pow(theta, -arange(0, headDim, 2, dtype: ScalarType.Float64) / headDim).to_type(ScalarType.Float32);
        invFreq.DetachFromDisposeScope();
    }

    public (Tensor Cos, Tensor Sin) For(int length, ScalarType dtype, Device device)
    {
        var pos = arange(length, dtype: ScalarType.Float32, device: device);
        var freqs = outer(pos, invFreq.to(device));
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().to_type(dtype), emb.sin().to_type(dtype));
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * cos + rotated * sin;
    }
}

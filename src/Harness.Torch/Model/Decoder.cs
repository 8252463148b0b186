using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

/// <summary>
/// Causal language model. Field names mirror transformers' OlmoForCausalLM / LlamaForCausalLM so that the state dict
/// keys (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>, …) are the Hugging Face tensor names.
/// With tied embeddings there is no <c>lm_head</c> module: the embedding matrix projects, so the parameter list and the
/// state dict hold it once (as transformers' safetensors files do) and an optimizer never steps it twice.
/// </summary>
public sealed class CausalLM : Module<Tensor, Tensor>
{
    private readonly DecoderBody model;
    private readonly Linear? lm_head;
    private readonly ComputePrecision precision = new();
    public DecoderConfig Config { get; }

    /// <summary>
    /// Dtype of every matmul (projections, LM head, attention): Float32 (default) or BFloat16, which keeps the
    /// parameters and their gradients float32 and casts at each matmul (see <see cref="ComputePrecision"/>).
    /// </summary>
    public ScalarType ComputeType
    {
        get => precision.Type;
        set => precision.Type = value;
    }

    public CausalLM(DecoderConfig config) : base("CausalLM")
    {
        Check(config);
        Config = config;
        model = new DecoderBody(config, precision);
        if (!config.TieWordEmbeddings) lm_head = Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Final hidden states [B, T, D]; scoring projects only the positions it needs.</summary>
    public Tensor Hidden(Tensor ids) => model.forward(ids);

    /// <summary>Logits for hidden states of any leading shape.</summary>
    public Tensor Project(Tensor hidden) =>
        lm_head is null ? precision.Linear(hidden, model.EmbedTokens.weight!) : precision.Linear(lm_head, hidden);

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

    private static void Check(DecoderConfig c)
    {
        if (c.ModelType is not ("olmo" or "llama"))
            throw new ArgumentException($"model_type '{c.ModelType}' is not supported; use olmo or llama.");
        if (c.NumHeads <= 0 || c.HiddenSize % c.NumHeads != 0 || c.HeadDim % 2 != 0)
            throw new ArgumentException($"hidden_size {c.HiddenSize} must split into {c.NumHeads} heads of even width.");
        if (c.NumKeyValueHeads <= 0 || c.NumHeads % c.NumKeyValueHeads != 0)
            throw new ArgumentException($"num_attention_heads {c.NumHeads} must be a multiple of num_key_value_heads {c.NumKeyValueHeads}.");
        if (c.ClipQkv is not null && c.UsesRmsNorm)
            throw new ArgumentException("clip_qkv is an OLMo option; Llama has no such field.");
    }
}

internal sealed class DecoderBody : Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly Module<Tensor, Tensor> norm;
    private readonly RotaryEmbedding rotary;

    public Embedding EmbedTokens => embed_tokens;

    public DecoderBody(DecoderConfig c, ComputePrecision precision) : base("DecoderBody")
    {
        embed_tokens = Embedding(c.VocabSize, c.HiddenSize);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, c.NumLayers).Select(_ => new DecoderLayer(c, precision)).ToArray());
        norm = Norms.Create(c);
        rotary = new RotaryEmbedding(c.HeadDim, c.RopeTheta);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(ids);
        var (cos, sin) = rotary.For((int)ids.shape[1], x.device);
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

    public DecoderLayer(DecoderConfig c, ComputePrecision precision) : base("DecoderLayer")
    {
        input_layernorm = Norms.Create(c);
        self_attn = new Attention(c, precision);
        post_attention_layernorm = Norms.Create(c);
        mlp = new SwiGlu(c, precision);
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
    private readonly double? clip;
    private readonly bool rotateInFloat32;
    private readonly ComputePrecision precision;

    public Attention(DecoderConfig c, ComputePrecision precision) : base("Attention")
    {
        this.precision = precision;
        heads = c.NumHeads; kvHeads = c.NumKeyValueHeads; headDim = c.HeadDim;
        clip = c.ClipQkv;
        rotateInFloat32 = !c.UsesRmsNorm;
        q_proj = Linear(c.HiddenSize, heads * headDim, hasBias: false);
        k_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        v_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        o_proj = Linear(heads * headDim, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        // Each projection is its own matmul, as transformers writes it: at d_model 128 concatenating q/k/v (and
        // gate/up) weights into one matmul at forward time gains nothing measurable (docs/performance.md).
        var (q, k, v) = (Project(q_proj, x, heads), Project(k_proj, x, kvHeads), Project(v_proj, x, kvHeads));
        long b = x.shape[0], t = x.shape[1];
        q = RotaryEmbedding.Apply(q, cos, sin, rotateInFloat32);
        k = RotaryEmbedding.Apply(k, cos, sin, rotateInFloat32);
        // Head h reads key/value head h / (heads / kvHeads), as transformers' repeat_kv arranges them.
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        // Default scale 1/√headDim, transformers' `scaling`.
        var y = precision.CausalAttention(q, k, v);
        return precision.Linear(o_proj, y.transpose(1, 2).reshape(b, t, heads * headDim));
    }

    /// <summary>[B, T, D] → [B, heads, T, headDim].</summary>
    private Tensor Split(Tensor projected, int n) =>
        projected.view(projected.shape[0], projected.shape[1], n, headDim).transpose(1, 2);

    private Tensor Project(Linear proj, Tensor x, int n) => Split(Clip(precision.Linear(proj, x)), n);

    private Tensor Clip(Tensor projected) => clip is double c ? projected.clamp(-c, c) : projected;

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Attention needs rotary tables; call Forward.");
}

internal sealed class SwiGlu : Module<Tensor, Tensor>
{
    private readonly Linear gate_proj, up_proj, down_proj;
    private readonly ComputePrecision precision;

    public SwiGlu(DecoderConfig c, ComputePrecision precision) : base("SwiGlu")
    {
        this.precision = precision;
        gate_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        up_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        down_proj = Linear(c.IntermediateSize, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        precision.Linear(down_proj, functional.silu(precision.Linear(gate_proj, x)) * precision.Linear(up_proj, x));
}

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

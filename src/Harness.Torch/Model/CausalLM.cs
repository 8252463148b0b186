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

using Harness.Data.Olmo;
using Harness.Data.PyTorch;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>
/// OLMo's own parameter names (<c>olmo/model.py</c>: <c>transformer.wte</c>, <c>transformer.blocks.N.att_proj</c> with q,
/// k and v fused in that order, <c>attn_out</c>, <c>ff_proj</c> with SwiGLU's two halves fused, <c>ff_out</c>,
/// <c>transformer.ff_out</c> when embeddings are untied) mapped onto the decoder's Hugging Face names, as transformers'
/// <c>convert_olmo_weights_to_hf.py</c> maps them. OLMo's SwiGLU computes <c>x, gate = ff_proj(h).chunk(2); silu(gate) · x</c>,
/// so the first half of ff_proj is up_proj and the second gate_proj. The same split applies to the optimizer's moments.
/// </summary>
public static class OlmoWeights
{
    /// <summary>The decoder OLMo's config.yaml describes (OLMo v1: non-parametric LayerNorm, RoPE, SwiGLU, no biases).</summary>
    public static DecoderConfig Config(OlmoTrainConfig c)
    {
        long Get(string key) => c.ModelInt(key) ?? throw new InputException($"{c.Path}: model.{key} is missing.");
        string? s(string key) => c.ModelString(key);
        if (s("block_type") is { } bt && bt != "sequential")
            throw new InputException($"{c.Path}: model.block_type {bt} is not supported (OLMo v1's sequential block only).");
        if (s("layer_norm_with_affine") == "true" || s("include_bias") == "true" || s("attention_layer_norm") == "true")
            throw new InputException($"{c.Path}: affine layer norms, biases and QK norms are not supported (OLMo v1 has none).");
        if (s("activation_type") is { } act && act != "swiglu") throw new InputException($"{c.Path}: activation {act} is not supported (swiglu).");
        int d = (int)Get("d_model"), heads = (int)Get("n_heads");
        int hidden = (int)(c.ModelInt("mlp_hidden_size") ?? (c.ModelInt("mlp_ratio") ?? 4) * d);
        int vocab = (int)(c.ModelInt("embedding_size") ?? Get("vocab_size"));
        double? clip = double.TryParse(s("clip_qkv"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : null;
        double theta = double.TryParse(s("rope_theta"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 10000;
        return new DecoderConfig("olmo", vocab, d, hidden / 2, (int)Get("n_layers"), heads, (int)(c.ModelInt("n_kv_heads") ?? heads),
            (int)(c.ModelInt("max_sequence_length") ?? 2048), theta, DecoderConfig.OlmoLayerNormEps, s("weight_tying") == "true", clip);
    }

    /// <summary>Builds the decoder and copies model.pt into it.</summary>
    public static CausalLM Load(OlmoCheckpoint checkpoint, Device device)
    {
        var config = Config(checkpoint.Config);
        var model = new CausalLM(config);
        try
        {
            model.to(device);
            using var archive = TorchArchive.Open(checkpoint.ModelPath);
            var weights = archive.Root as PickleDict ?? throw new InputException($"{checkpoint.ModelPath}: not a state dict.");
            var targets = model.state_dict();
            var seen = new HashSet<string>();
            using (no_grad())
                foreach (var (key, value) in weights.Entries)
                {
                    var name = (string)key;
                    if (value is not TorchTensorRef t) throw new InputException($"{checkpoint.ModelPath}: '{name}' is not a tensor.");
                    foreach (var (hf, part) in Split(config, name, t.Shape, archive.ReadFloats(t), checkpoint.ModelPath))
                    {
                        if (!targets.TryGetValue(hf, out var target))
                            throw new InputException($"{checkpoint.ModelPath}: '{name}' maps to {hf}, which the model from config.yaml does not have.");
                        using var src = tensor(part, target.shape);
                        target.copy_(src);
                        seen.Add(hf);
                    }
                }
            var missing = targets.Keys.Where(k => !seen.Contains(k)).ToList();
            if (missing.Count > 0) throw new InputException($"{checkpoint.ModelPath}: no weights for {string.Join(", ", missing.Take(5))}.");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One OLMo tensor as the Hugging Face tensors it becomes (row ranges of fused projections), values in C order.
    /// </summary>
    public static IEnumerable<(string Name, float[] Values)> Split(DecoderConfig c, string name, long[] shape, float[] values, string file)
    {
        var parts = name.Split('.');
        if (name == "transformer.wte.weight") { yield return ("model.embed_tokens.weight", values); yield break; }
        if (name == "transformer.ff_out.weight") { yield return ("lm_head.weight", values); yield break; }
        if (parts is not ["transformer", "blocks", var n, var module, "weight"] || shape.Length != 2)
            throw new InputException($"{file}: tensor '{name}' has no counterpart in OLMo v1's decoder (affine norms and biases are not supported).");
        int cols = (int)shape[1];
        string layer = $"model.layers.{n}";
        float[] Rows(int from, int count) => values.AsSpan(from * cols, count * cols).ToArray();
        switch (module)
        {
            case "att_proj":
                int q = c.NumHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
                yield return ($"{layer}.self_attn.q_proj.weight", Rows(0, q));
                yield return ($"{layer}.self_attn.k_proj.weight", Rows(q, kv));
                yield return ($"{layer}.self_attn.v_proj.weight", Rows(q + kv, kv));
                break;
            case "attn_out": yield return ($"{layer}.self_attn.o_proj.weight", values); break;
            case "ff_proj":
                int h = (int)shape[0] / 2;
                yield return ($"{layer}.mlp.up_proj.weight", Rows(0, h));
                yield return ($"{layer}.mlp.gate_proj.weight", Rows(h, h));
                break;
            case "ff_out": yield return ($"{layer}.mlp.down_proj.weight", values); break;
            default: throw new InputException($"{file}: tensor '{name}' has no counterpart in OLMo v1's decoder.");
        }
    }
}

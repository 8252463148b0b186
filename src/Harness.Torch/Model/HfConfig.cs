using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Model;

/// <summary>
/// Hugging Face <c>config.json</c> ↔ <see cref="DecoderConfig"/>, with transformers' defaults for absent fields
/// (OlmoConfig / LlamaConfig). Options the decoder does not implement (rope scaling, biases, other activations,
/// a head_dim other than hidden_size / heads) are rejected rather than silently ignored.
/// </summary>
public static class HfConfig
{
    public static readonly string[] ModelTypes = ["olmo", "llama"];

    public static DecoderConfig Read(string path) => Parse(path, ReadObject(path));

    internal static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"'{path}' does not exist; a Hugging Face checkpoint folder needs config.json beside its *.safetensors files.");
        JsonNode? node;
        // Duplicate keys would otherwise surface later as an ArgumentException from JsonObject's lazy dictionary.
        try { node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (JsonException e)
        {
            throw new InputException($"'{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
        return node as JsonObject ?? throw new InputException($"'{path}' must hold a JSON object.");
    }

    internal static DecoderConfig Parse(string path, JsonObject o)
    {
        var f = new Fields(path, o);
        var type = f.String("model_type")
            ?? throw new InputException($"'{path}' has no model_type; this harness loads {string.Join(" or ", ModelTypes)} checkpoints.");
        if (!ModelTypes.Contains(type))
            throw new InputException($"'{path}': model_type '{type}' is not supported; supported: {string.Join(", ", ModelTypes)}.");
        bool llama = type == "llama";

        var act = f.String("hidden_act") ?? "silu";
        if (act != "silu") f.Unsupported("hidden_act", act, "the decoder's MLP is SwiGLU (silu)");
        if (f.Bool("attention_bias") == true) f.Unsupported("attention_bias", "true", "the decoder has no biases");
        if (f.Bool("mlp_bias") == true) f.Unsupported("mlp_bias", "true", "the decoder has no biases");
        double theta = RopeTheta(f, o);

        int hidden = f.Int("hidden_size") ?? throw f.Missing("hidden_size");
        int heads = f.Int("num_attention_heads") ?? throw f.Missing("num_attention_heads");
        int kv = f.Int("num_key_value_heads") ?? heads;
        if (heads <= 0 || hidden % heads != 0 || hidden / heads % 2 != 0)
            throw new InputException($"'{path}': hidden_size {hidden} must split into num_attention_heads {heads} heads of even width.");
        if (kv <= 0 || heads % kv != 0)
            throw new InputException($"'{path}': num_attention_heads {heads} must be a multiple of num_key_value_heads {kv}.");
        if (f.Int("head_dim") is int hd && hd != hidden / heads)
            f.Unsupported("head_dim", hd.ToString(CultureInfo.InvariantCulture), $"the decoder uses hidden_size / num_attention_heads = {hidden / heads}");

        return new DecoderConfig(
            ModelType: type,
            VocabSize: f.Int("vocab_size") ?? throw f.Missing("vocab_size"),
            HiddenSize: hidden,
            IntermediateSize: f.Int("intermediate_size") ?? throw f.Missing("intermediate_size"),
            NumLayers: f.Int("num_hidden_layers") ?? throw f.Missing("num_hidden_layers"),
            NumHeads: heads,
            NumKeyValueHeads: kv,
            MaxPositionEmbeddings: f.Int("max_position_embeddings") ?? 2048,
            RopeTheta: theta,
            NormEps: llama ? f.Double("rms_norm_eps") ?? 1e-6 : DecoderConfig.OlmoLayerNormEps,
            TieWordEmbeddings: f.Bool("tie_word_embeddings") ?? false,
            ClipQkv: llama ? null : f.Double("clip_qkv"));
    }

    /// <summary>transformers v4 writes rope_theta (+ rope_scaling); v5 writes rope_parameters. Only plain RoPE is implemented.</summary>
    private static double RopeTheta(Fields f, JsonObject o)
    {
        double theta = f.Double("rope_theta") ?? 10000;
        foreach (var key in new[] { "rope_scaling", "rope_parameters" })
        {
            if (o[key] is not JsonObject rope) continue;
            var kind = rope["rope_type"]?.ToString() ?? rope["type"]?.ToString() ?? "default";
            if (kind != "default") f.Unsupported($"{key}.rope_type", kind, "only plain RoPE is implemented");
            if (rope["rope_theta"] is JsonValue v && v.TryGetValue(out double t)) theta = t;
        }
        return theta;
    }

    /// <summary>The config.json for <paramref name="c"/>, keeping fields of <paramref name="source"/> the decoder does not model (token ids, …).</summary>
    public static JsonObject ToJson(DecoderConfig c, JsonObject? source = null, string torchDtype = "float32")
    {
        if (!c.UsesRmsNorm && c.NormEps != DecoderConfig.OlmoLayerNormEps)
            throw new InputException($"An OLMo checkpoint cannot record NormEps {c.NormEps}: transformers' OlmoLayerNorm always uses {DecoderConfig.OlmoLayerNormEps}.");
        var o = source?.DeepClone().AsObject() ?? [];
        foreach (var stale in new[] { "rope_parameters", "rms_norm_eps", "clip_qkv", "head_dim", "dtype" }) o.Remove(stale);
        bool llama = c.UsesRmsNorm;
        o["architectures"] = new JsonArray(llama ? "LlamaForCausalLM" : "OlmoForCausalLM");
        o["model_type"] = c.ModelType;
        o["vocab_size"] = c.VocabSize;
        o["hidden_size"] = c.HiddenSize;
        o["intermediate_size"] = c.IntermediateSize;
        o["num_hidden_layers"] = c.NumLayers;
        o["num_attention_heads"] = c.NumHeads;
        o["num_key_value_heads"] = c.NumKeyValueHeads;
        o["hidden_act"] = "silu";
        o["max_position_embeddings"] = c.MaxPositionEmbeddings;
        o["rope_theta"] = c.RopeTheta;
        o["rope_scaling"] = null;
        o["attention_bias"] = false;
        if (llama) { o["rms_norm_eps"] = c.NormEps; o["mlp_bias"] = false; }
        else o["clip_qkv"] = c.ClipQkv;
        o["tie_word_embeddings"] = c.TieWordEmbeddings;
        o["torch_dtype"] = torchDtype;
        return o;
    }

    /// <summary>Typed access with messages that name the file and the field.</summary>
    private sealed class Fields(string path, JsonObject o)
    {
        public string? String(string key) => Get(key, JsonValueKind.String, "a string", v => v.GetValue<string>());
        public bool? Bool(string key) => Get<bool?>(key, JsonValueKind.True, "true or false", v => v.GetValue<bool>());
        public double? Double(string key) => Get<double?>(key, JsonValueKind.Number, "a number", v => v.GetValue<double>());

        public int? Int(string key) => Get<int?>(key, JsonValueKind.Number, "a positive integer", v =>
            v.TryGetValue(out int i) && i > 0 ? i : throw Wrong(key, "a positive integer"));

        private T? Get<T>(string key, JsonValueKind kind, string expected, Func<JsonValue, T> read)
        {
            if (o[key] is not JsonNode node) return default;
            var actual = node.GetValueKind();
            bool ok = actual == kind || (kind == JsonValueKind.True && actual == JsonValueKind.False);
            if (!ok || node is not JsonValue v) throw Wrong(key, expected);
            return read(v);
        }

        private InputException Wrong(string key, string expected) =>
            new($"'{path}': {key} is {o[key]?.ToJsonString()}; it must be {expected}.");

        public InputException Missing(string key) => new($"'{path}' has no {key}; a checkpoint's config.json must give it.");

        public void Unsupported(string key, string value, string why) =>
            throw new InputException($"'{path}': {key} = {value} is not supported ({why}).");
    }
}

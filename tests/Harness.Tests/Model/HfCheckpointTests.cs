using System.Text.Json.Nodes;
using Harness.Model;
using Harness.Tests.Support;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

public class HfCheckpointTests
{
    private static readonly DecoderConfig Olmo = new("olmo", VocabSize: 41, HiddenSize: 16, IntermediateSize: 32, NumLayers: 2,
        NumHeads: 4, NumKeyValueHeads: 4, MaxPositionEmbeddings: 32, TieWordEmbeddings: true);

    private static readonly DecoderConfig Llama = new("llama", VocabSize: 37, HiddenSize: 24, IntermediateSize: 48, NumLayers: 2,
        NumHeads: 6, NumKeyValueHeads: 2, MaxPositionEmbeddings: 32, RopeTheta: 500000, NormEps: 1e-6, TieWordEmbeddings: false);

    private static CausalLM Trained(DecoderConfig cfg, int seed = 11)
    {
        manual_seed(seed);
        var lm = new CausalLM(cfg);
        lm.InitializeWeights();
        // Llama norm weights away from 1 so that a norm weight that fails to load would show.
        using (no_grad())
            foreach (var (name, p) in lm.named_parameters())
                if (name.Contains("norm")) p.add_(0.1 * randn_like(p));
        return lm;
    }

    private static byte[] Logits(CausalLM lm)
    {
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 5, 2, 30, 7, 7, 0, 12, 3, 4, 1, 9 }).view(2, 6);
        using var logits = lm.forward(ids);
        return logits.contiguous().bytes.ToArray();
    }

    private static JsonObject ConfigJson(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();

    [Test]
    public void Olmo_checkpoint_saved_and_reloaded_gives_bitwise_identical_logits()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo);
        HfCheckpoint.Save(lm, dir.Path);
        using var back = HfCheckpoint.Load(dir.Path);

        Assert.That(back.Config, Is.EqualTo(Olmo));
        Assert.That(Logits(back), Is.EqualTo(Logits(lm)));
        Assert.That(Directory.GetFiles(dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "config.json", "model.safetensors" }));
        var names = SafetensorsFile.Entries(dir.File("model.safetensors")).Select(e => e.Name).ToList();
        Assert.That(names, Does.Not.Contain("lm_head.weight"), "tied embeddings are stored once, as transformers does");
        Assert.That(names, Does.Contain("model.layers.1.self_attn.q_proj.weight"));
        Assert.That(names.Count(n => n.Contains("norm")), Is.Zero, "OLMo's LayerNorm has no parameters");
        Assert.That(SafetensorsFile.Entries(dir.File("model.safetensors")).Select(e => e.DType).Distinct(), Is.EqualTo(new[] { "F32" }));

        var json = ConfigJson(dir.Path);
        Assert.That(json["model_type"]!.GetValue<string>(), Is.EqualTo("olmo"));
        Assert.That(json["architectures"]![0]!.GetValue<string>(), Is.EqualTo("OlmoForCausalLM"));
        Assert.That(json["tie_word_embeddings"]!.GetValue<bool>(), Is.True);
        Assert.That(json["torch_dtype"]!.GetValue<string>(), Is.EqualTo("float32"));
        Assert.That(json.ContainsKey("rms_norm_eps"), Is.False);
    }

    [Test]
    public void Sharded_checkpoint_gives_identical_logits_and_a_complete_index()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo);
        HfCheckpoint.Save(lm, dir.Path, maxShardBytes: 6000);
        using var back = HfCheckpoint.Load(dir.Path);
        Assert.That(Logits(back), Is.EqualTo(Logits(lm)));

        var shards = Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Select(Path.GetFileName).Order().ToList();
        Assert.That(shards, Has.Count.GreaterThan(2));
        Assert.That(shards[0], Is.EqualTo($"model-00001-of-{shards.Count:00000}.safetensors"));
        Assert.That(File.Exists(dir.File("model.safetensors")), Is.False);
        var index = JsonNode.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")))!;
        var map = index["weight_map"]!.AsObject();
        Assert.That(map.Select(kv => kv.Key), Is.EquivalentTo(lm.state_dict().Keys));
        long total = lm.state_dict().Values.Sum(t => t.NumberOfElements * 4);
        Assert.That(index["metadata"]!["total_size"]!.GetValue<long>(), Is.EqualTo(total));
        foreach (var shard in shards)
            Assert.That(new FileInfo(dir.File(shard!)).Length, Is.LessThan(6000 + 2000), "a shard holds at most the limit plus its header, unless one tensor exceeds it");
    }

    [Test]
    public void Saving_unsharded_over_a_sharded_folder_removes_the_stale_shards()
    {
        using var dir = new TempFolder();
        using var first = Trained(Olmo, seed: 1);
        HfCheckpoint.Save(first, dir.Path, maxShardBytes: 6000);
        using var second = Trained(Olmo, seed: 2);
        HfCheckpoint.Save(second, dir.Path);
        Assert.That(Directory.GetFiles(dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "config.json", "model.safetensors" }));
        using var back = HfCheckpoint.Load(dir.Path);
        Assert.That(Logits(back), Is.EqualTo(Logits(second)));
    }

    [Test]
    public void Llama_checkpoint_with_grouped_query_attention_and_untied_head_round_trips()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Llama);
        HfCheckpoint.Save(lm, dir.Path);
        using var back = HfCheckpoint.Load(dir.Path);
        Assert.That(back.Config, Is.EqualTo(Llama));
        Assert.That(Logits(back), Is.EqualTo(Logits(lm)));

        var entries = SafetensorsFile.Entries(dir.File("model.safetensors")).ToDictionary(e => e.Name);
        Assert.That(entries["lm_head.weight"].Shape, Is.EqualTo(new long[] { 37, 24 }));
        Assert.That(entries["model.layers.0.self_attn.k_proj.weight"].Shape, Is.EqualTo(new long[] { 8, 24 }), "2 key/value heads of width 4");
        Assert.That(entries, Does.ContainKey("model.norm.weight"));
        Assert.That(entries, Does.ContainKey("model.layers.1.post_attention_layernorm.weight"));
        var json = ConfigJson(dir.Path);
        Assert.That(json["num_key_value_heads"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(json["rms_norm_eps"]!.GetValue<double>(), Is.EqualTo(1e-6));
        Assert.That(json["rope_theta"]!.GetValue<double>(), Is.EqualTo(500000));
    }

    [Test]
    public void Bf16_weights_load_into_a_float32_model_exactly()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Llama);
        HfCheckpoint.Save(lm, dir.Path);
        var bf16 = lm.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.BFloat16));
        SafetensorsFile.Write(dir.File("model.safetensors"), bf16);
        using var back = HfCheckpoint.Load(dir.Path);
        foreach (var (name, p) in back.state_dict())
        {
            Assert.That(p.dtype, Is.EqualTo(ScalarType.Float32));
            Assert.That(p.contiguous().bytes.ToArray(), Is.EqualTo(bf16[name].to_type(ScalarType.Float32).contiguous().bytes.ToArray()), name);
        }
    }

    [Test]
    public void A_bf16_model_is_saved_as_BF16_with_a_matching_torch_dtype()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo);
        lm.to(ScalarType.BFloat16);
        HfCheckpoint.Save(lm, dir.Path);
        Assert.That(SafetensorsFile.Entries(dir.File("model.safetensors")).Select(e => e.DType).Distinct(), Is.EqualTo(new[] { "BF16" }));
        Assert.That(ConfigJson(dir.Path)["torch_dtype"]!.GetValue<string>(), Is.EqualTo("bfloat16"));
        using var back = HfCheckpoint.Load(dir.Path);
        var original = lm.state_dict();
        foreach (var (name, p) in back.state_dict())
            Assert.That(p.contiguous().bytes.ToArray(), Is.EqualTo(original[name].to_type(ScalarType.Float32).contiguous().bytes.ToArray()), name);
    }

    [Test]
    public void Config_fields_the_decoder_does_not_model_survive_load_and_save()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo);
        HfCheckpoint.Save(lm, dir.Path);
        var json = ConfigJson(dir.Path);
        json["eos_token_id"] = 40;
        json["pad_token_id"] = 1;
        File.WriteAllText(dir.File("config.json"), json.ToJsonString());
        using var loaded = HfCheckpoint.Load(dir.Path);
        using var again = new TempFolder();
        HfCheckpoint.Save(loaded, again.Path);
        Assert.That(ConfigJson(again.Path)["eos_token_id"]!.GetValue<int>(), Is.EqualTo(40));
    }

    [Test]
    public void Transformers_defaults_fill_absent_config_fields_and_v5_rope_parameters_are_read()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), """
            {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16,
             "num_hidden_layers": 1, "num_attention_heads": 2, "rope_parameters": {"rope_type": "default", "rope_theta": 1234.0}}
            """);
        var c = HfConfig.Read(dir.File("config.json"));
        Assert.That(c, Is.EqualTo(new DecoderConfig("llama", 10, 8, 16, 1, 2, 2, 2048, RopeTheta: 1234, NormEps: 1e-6, TieWordEmbeddings: false)));
    }

    [Test]
    public void The_published_OLMo_1B_hf_config_reads_as_the_expected_architecture()
    {
        using var dir = new TempFolder();
        // allenai/OLMo-1B-hf config.json as transformers wrote it.
        File.WriteAllText(dir.File("config.json"), """
            {"architectures": ["OlmoForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": null,
             "clip_qkv": null, "eos_token_id": 50279, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02,
             "intermediate_size": 8192, "max_position_embeddings": 2048, "model_type": "olmo", "num_attention_heads": 16,
             "num_hidden_layers": 16, "num_key_value_heads": 16, "pad_token_id": 1, "pretraining_tp": 1, "rope_scaling": null,
             "rope_theta": 10000.0, "tie_word_embeddings": true, "torch_dtype": "float32", "transformers_version": "4.40.0.dev0",
             "use_cache": true, "vocab_size": 50304}
            """);
        Assert.That(HfConfig.Read(dir.File("config.json")),
            Is.EqualTo(new DecoderConfig("olmo", 50304, 2048, 8192, 16, 16, 16, 2048, RopeTheta: 10000, NormEps: 1e-5, TieWordEmbeddings: true)));
    }

    [Test]
    public void Clip_qkv_round_trips_through_config_json()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo with { ClipQkv = 8.0 });
        HfCheckpoint.Save(lm, dir.Path);
        Assert.That(ConfigJson(dir.Path)["clip_qkv"]!.GetValue<double>(), Is.EqualTo(8.0));
        using var back = HfCheckpoint.Load(dir.Path);
        Assert.That(back.Config.ClipQkv, Is.EqualTo(8.0));
    }

    // ---- errors: InputException naming what is wrong ----

    private static string Saved(TempFolder dir, DecoderConfig cfg)
    {
        using var lm = Trained(cfg);
        HfCheckpoint.Save(lm, dir.Path);
        return dir.Path;
    }

    private static string LoadError(string folder) => Assert.Throws<InputException>(() => HfCheckpoint.Load(folder).Dispose())!.Message;

    [Test]
    public void Missing_folder_config_or_weights_are_named()
    {
        using var dir = new TempFolder();
        Assert.That(LoadError(dir.File("absent")), Does.Contain("does not exist").And.Contain("absent"));
        Assert.That(LoadError(dir.Path), Does.Contain("config.json"));
        Saved(dir, Olmo);
        File.Delete(dir.File("model.safetensors"));
        File.WriteAllText(dir.File("pytorch_model.bin"), "");
        Assert.That(LoadError(dir.Path), Does.Contain("no model.safetensors").And.Contain("safe_serialization=True"));
    }

    [TestCase("model_type", "\"olmo2\"", "model_type 'olmo2' is not supported")]
    [TestCase("rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8.0}", "rope_scaling.rope_type = llama3 is not supported")]
    [TestCase("attention_bias", "true", "attention_bias = true is not supported")]
    [TestCase("hidden_act", "\"gelu\"", "hidden_act = gelu is not supported")]
    [TestCase("num_key_value_heads", "3", "must be a multiple of num_key_value_heads 3")]
    [TestCase("hidden_size", "\"16\"", "hidden_size is \"16\"; it must be a positive integer")]
    public void Unsupported_or_malformed_configs_are_rejected(string field, string value, string expected)
    {
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        var json = ConfigJson(dir.Path);
        json[field] = JsonNode.Parse(value);
        File.WriteAllText(dir.File("config.json"), json.ToJsonString());
        Assert.That(LoadError(dir.Path), Does.Contain(expected).And.Contain("config.json"));
    }

    [Test]
    public void A_duplicated_config_key_is_an_input_error()
    {
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        File.WriteAllText(dir.File("config.json"), File.ReadAllText(dir.File("config.json")).Replace("\"rope_scaling\": null", "\"rope_scaling\": null, \"rope_scaling\": null"));
        Assert.That(LoadError(dir.Path), Does.Contain("config.json").And.Contain("rope_scaling"));
    }

    [Test]
    public void Invalid_config_json_gives_line_and_file()
    {
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        File.WriteAllText(dir.File("config.json"), "{\n  \"model_type\": \"olmo\",\n  oops\n}");
        Assert.That(LoadError(dir.Path), Does.Contain("config.json").And.Contain("line 3"));
    }

    [Test]
    public void A_renamed_tensor_is_listed_as_missing_and_unexpected()
    {
        using var dir = new TempFolder();
        Saved(dir, Llama);
        var tensors = SafetensorsFile.Read(dir.File("model.safetensors"));
        tensors["model.layers.1.mlp.upp_proj.weight"] = tensors["model.layers.1.mlp.up_proj.weight"];
        tensors.Remove("model.layers.1.mlp.up_proj.weight");
        SafetensorsFile.Write(dir.File("model.safetensors"), tensors);
        var message = LoadError(dir.Path);
        Assert.That(message, Does.Contain("missing 1 tensor(s): model.layers.1.mlp.up_proj.weight"));
        Assert.That(message, Does.Contain("unexpected 1 tensor(s): model.layers.1.mlp.upp_proj.weight"));
    }

    [Test]
    public void An_untied_config_over_tied_weights_lists_lm_head_as_missing()
    {
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        var json = ConfigJson(dir.Path);
        json["tie_word_embeddings"] = false;
        File.WriteAllText(dir.File("config.json"), json.ToJsonString());
        Assert.That(LoadError(dir.Path), Does.Contain("missing 1 tensor(s): lm_head.weight").And.Contain("tie_word_embeddings false"));
    }

    [Test]
    public void A_wrong_shape_names_the_tensor_and_both_shapes()
    {
        using var dir = new TempFolder();
        Saved(dir, Llama);
        var json = ConfigJson(dir.Path);
        json["intermediate_size"] = 40;
        File.WriteAllText(dir.File("config.json"), json.ToJsonString());
        Assert.That(LoadError(dir.Path), Does.Match(@"tensor 'model\.layers\.0\.mlp\.(gate|up|down)_proj\.weight' has shape \[(48, 24|24, 48)\] but the model built from config\.json expects \[(40, 24|24, 40)\]"));
    }

    [Test]
    public void A_truncated_weights_file_names_the_file()
    {
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        var raw = File.ReadAllBytes(dir.File("model.safetensors"));
        File.WriteAllBytes(dir.File("model.safetensors"), raw[..(raw.Length / 2)]);
        Assert.That(LoadError(dir.Path), Does.Contain("model.safetensors").And.Contain("truncated"));
    }

    [Test]
    public void An_index_naming_a_missing_shard_is_reported()
    {
        using var dir = new TempFolder();
        using var lm = Trained(Olmo);
        HfCheckpoint.Save(lm, dir.Path, maxShardBytes: 6000);
        File.Delete(dir.File("model-00002-of-" + Directory.GetFiles(dir.Path, "model-00001-of-*")[0][^17..]));
        Assert.That(LoadError(dir.Path), Does.Contain("model-00002-of-").And.Contain("missing"));
    }

    [Test]
    public void An_unavailable_device_is_an_input_error()
    {
        if (cuda.is_available()) Assert.Ignore("CUDA is present here; the error path needs a machine without it.");
        using var dir = new TempFolder();
        Saved(dir, Olmo);
        Assert.That(Assert.Throws<InputException>(() => HfCheckpoint.Load(dir.Path, "cuda"))!.Message, Does.Contain("CUDA is not available"));
        Assert.That(Assert.Throws<InputException>(() => HfCheckpoint.Load(dir.Path, "gpu"))!.Message, Does.Contain("Unknown device 'gpu'"));
    }
}

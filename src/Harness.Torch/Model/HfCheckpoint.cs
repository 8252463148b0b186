using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>
/// Hugging Face-style checkpoint folders, as transformers' <c>save_pretrained</c> writes them for OlmoForCausalLM and
/// LlamaForCausalLM: <c>config.json</c> plus <c>model.safetensors</c>, or shards <c>model-0000k-of-0000n.safetensors</c>
/// listed in <c>model.safetensors.index.json</c>. Weights of any float dtype (F32, BF16, F16) load into a float32 model.
/// </summary>
public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    // The config.json a model was loaded from, so that Save keeps fields the decoder does not model (eos_token_id, …).
    private static readonly ConditionalWeakTable<CausalLM, JsonObject> SourceConfigs = new();

    /// <summary>
    /// Loads <paramref name="folder"/>. The model is built on the CPU, then moved to <paramref name="device"/>
    /// ("cpu", "cuda", "cuda:1"), and each tensor is copied onto that device as it is read, so only one tensor at a
    /// time is held twice. Parameters stay float32 on any device; bf16 autocast is the runner's choice.
    /// </summary>
    public static CausalLM Load(string folder, string device = "cpu")
    {
        if (!Directory.Exists(folder))
            throw new InputException($"Checkpoint folder '{folder}' does not exist; expected a Hugging Face-style folder with {ConfigFile} and {SingleFile}.");
        var configPath = Path.Combine(folder, ConfigFile);
        var json = HfConfig.ReadObject(configPath);
        var config = HfConfig.Parse(configPath, json);
        var shards = ShardIndex.Locate(folder);
        var target = Device(device);

        var model = new CausalLM(config);
        try
        {
            model.to(target);
            WeightCopy.Into(model, shards, folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        SourceConfigs.AddOrUpdate(model, json);
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> as safetensors in its parameters' dtype (tied embeddings once, without
    /// lm_head.weight) and its config.json. With <paramref name="maxShardBytes"/> smaller than the weights, writes numbered shards and the
    /// index; stale weight files of an earlier save in the folder are removed afterwards. Each file is atomic.
    /// </summary>
    public static void Save(CausalLM model, string folder, long? maxShardBytes = null)
    {
        if (maxShardBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), "Shard size must be positive.");
        SourceConfigs.TryGetValue(model, out var source);
        var dtype = model.parameters().First().dtype switch
        {
            ScalarType.BFloat16 => "bfloat16",
            ScalarType.Float16 => "float16",
            ScalarType.Float64 => "float64",
            _ => "float32",
        };
        var configJson = HfConfig.ToJson(model.Config, source, dtype);
        Directory.CreateDirectory(folder);
        var tensors = model.state_dict();
        var written = ShardIndex.Write(folder, tensors, maxShardBytes);
        AtomicFile.WriteText(Path.Combine(folder, ConfigFile), configJson.ToJsonString(new() { WriteIndented = true }) + "\n");
        ShardIndex.RemoveStale(folder, written);
    }

    private static Device Device(string device)
    {
        var m = System.Text.RegularExpressions.Regex.Match(device, @"^(cpu|cuda)(?::(\d+))?$");
        if (!m.Success) throw new InputException($"Unknown device '{device}'; use cpu, cuda or cuda:N.");
        if (m.Groups[1].Value == "cuda")
        {
            if (!cuda.is_available())
                throw new InputException($"Device '{device}' was requested but CUDA is not available here; use cpu.");
            if (m.Groups[2].Success && int.Parse(m.Groups[2].Value) >= cuda.device_count())
                throw new InputException($"Device '{device}' does not exist; this machine has {cuda.device_count()} CUDA device(s).");
        }
        return torch.device(device);
    }
}

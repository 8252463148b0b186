using Harness.Data;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary><c>model.checkpoint</c>: <c>scratch</c>, <c>builtin:tiny/…</c> (pretrained once, cached) or a Hugging Face folder.</summary>
public static class ModelSource
{
    public static ModelOrigin Locate(Scenario s, string baseDir, IProgress<string>? log, IProgress<RunProgress>? pretraining = null)
    {
        var spec = s.Model.Checkpoint;
        if (spec == BuiltinNames.Scratch) return ModelOrigin.Scratch;
        var folder = spec.StartsWith(BuiltinNames.TinyPrefix, StringComparison.Ordinal)
            ? TinyCheckpointCache.Ensure(spec, log, pretraining)
            : BuiltinNames.IsBuiltin(spec)
                ? throw new InputException($"model.checkpoint '{spec}' is unknown; use {string.Join(", ", BuiltinNames.Checkpoints)} or a Hugging Face folder")
                : Path.GetFullPath(spec, baseDir);
        if (!Directory.Exists(folder))
            throw new InputException($"model.checkpoint: folder {folder} not found; give a Hugging Face-style folder (config.json + *.safetensors)");
        return new ModelOrigin(folder, CheckpointMetadata.Read(folder));
    }

    public static CausalLM Create(Scenario s, ModelOrigin origin, ITextTokenizer tokenizer, Device device)
    {
        if (origin.Folder == null)
        {
            var a = s.Model.Architecture;
            var config = new DecoderConfig(a.Family, tokenizer.VocabSize, a.DModel,
                a.MlpHidden > 0 ? a.MlpHidden : DecoderConfig.DefaultIntermediate(a.DModel), a.Layers, a.Heads, a.Heads,
                Math.Max(s.Data.SequenceLength, 2048), a.RopeTheta, TieWordEmbeddings: a.TieEmbeddings);
            var model = new CausalLM(config);
            model.InitializeWeights(); // seeded by TorchRuntime.Configure
            model.to(device);
            return model;
        }
        var loaded = HfCheckpoint.Load(origin.Folder, device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu");
        if (loaded.Config.VocabSize < tokenizer.VocabSize)
        {
            loaded.Dispose();
            throw new InputException($"{origin.Folder}: the model has {loaded.Config.VocabSize} embedding rows but tokenizer {tokenizer.Name} has {tokenizer.VocabSize} tokens; use the checkpoint's own tokenizer");
        }
        return loaded;
    }
}

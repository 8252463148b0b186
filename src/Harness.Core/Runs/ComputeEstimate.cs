using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Data.Olmo;
using Harness.Scenarios;

namespace Harness.Runs;

/// <summary>A decoder's size, from its checkpoint's config (OLMo's config.yaml or config.json) or the scenario's architecture.</summary>
public sealed record ModelShape(long Parameters, int DModel, int Layers, int Vocab, string Source)
{
    public static ModelShape Of(Scenario s)
    {
        var folder = s.Model.Checkpoint;
        if (Directory.Exists(folder) && OlmoCheckpoint.IsOlmoCheckpoint(folder))
        {
            var c = OlmoTrainConfig.Read(Path.Combine(folder, "config.yaml"));
            int d = (int)(c.ModelInt("d_model") ?? 0), l = (int)(c.ModelInt("n_layers") ?? 0);
            int hidden = (int)(c.ModelInt("mlp_hidden_size") ?? 8 * d) / 2;
            int vocab = (int)(c.ModelInt("embedding_size") ?? c.ModelInt("vocab_size") ?? 50304);
            return Build(d, l, hidden, vocab, c.ModelString("weight_tying") == "true", $"{folder}/config.yaml");
        }
        var json = Path.Combine(folder, "config.json");
        if (File.Exists(json) && JsonNode.Parse(File.ReadAllText(json)) is JsonObject o)
        {
            int Get(string k) => o[k]?.GetValue<int>() ?? 0;
            return Build(Get("hidden_size"), Get("num_hidden_layers"), Get("intermediate_size"), Get("vocab_size"),
                o["tie_word_embeddings"]?.GetValue<bool>() ?? false, json);
        }
        var a = s.Model.Architecture;
        int h = a.MlpHidden > 0 ? a.MlpHidden : (a.DModel * 8 / 3 + 63) / 64 * 64;
        return Build(a.DModel, a.Layers, h, 50304, a.TieEmbeddings, "model.architecture (checkpoint not at hand; vocabulary 50,304 assumed)");
    }

    private static ModelShape Build(int d, int layers, int hidden, int vocab, bool tied, string source) =>
        new((long)vocab * d * (tied ? 1 : 2) + (long)layers * (4L * d * d + 3L * d * hidden), d, layers, vocab, source);
}

/// <summary>
/// What <c>harness plan</c> says a run costs: GPU memory per micro-batch and the floating-point work of the whole run,
/// as GPU-hours on a stated GPU at a stated fraction of its dense bf16 peak. Memory: float32 weights, gradients and
/// the two AdamW moments (16 bytes a parameter), bf16 activations of a sequential block with flash attention
/// (34 bytes per token, layer and width: Korthikanti et al. 2022, without the attention-score term) and float32 logits
/// with their gradient. Work: 6·N per trained token plus 12·layers·d·sequence for attention, and 2·N per scored token
/// (every probe, about <see cref="ProbeTokens"/> tokens, at every evaluated step).
/// </summary>
public sealed record ComputeEstimate(ModelShape Model, int MicroBatch, double StateBytes, double ActivationBytes, double Flops, double GpuHours, Gpu Gpu)
{
    public const int ProbeTokens = 48;

    public double MicroBatchBytes => StateBytes + ActivationBytes;

    public static ComputeEstimate Of(Scenario s, RunPlan plan, Gpu gpu)
    {
        var m = ModelShape.Of(s);
        int micro = plan.BatchSize / Math.Max(1, s.Training.GradAccumulation);
        double seq = plan.SequenceLength;
        double state = 16.0 * m.Parameters;
        double activations = micro * seq * (34.0 * m.DModel * m.Layers + 10.0 * m.Vocab);
        double perToken = 6.0 * m.Parameters + 12.0 * m.Layers * m.DModel * seq;
        double train = plan.Steps * (double)plan.BatchSize * seq * perToken;
        int probes = plan.Items.Count * s.Probes.Depths.Count * 5;
        double scoring = plan.EvalSteps.Count * (double)probes * ProbeTokens * 2.0 * m.Parameters;
        if (s.Pretrain is { Steps: > 0 } pre) train += pre.Steps * (double)plan.BatchSize * seq * perToken;
        double flops = train + scoring;
        return new(m, micro, state, activations, flops, flops / (gpu.PeakFlops * gpu.Utilisation) / 3600, gpu);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"model {Model.Parameters / 1e9:0.###}B parameters ({Model.Source}); GPU memory per micro-batch of {MicroBatch} rows ≈ " +
        $"{MicroBatchBytes / (1L << 30):0.#} GiB (weights, gradients, AdamW {StateBytes / (1L << 30):0.#} GiB + activations " +
        $"{ActivationBytes / (1L << 30):0.#} GiB){(MicroBatchBytes > Gpu.MemoryBytes ? $", MORE than the {Gpu.Name}'s {Gpu.MemoryBytes / (1L << 30):0} GiB" : "")}; " +
        $"{Flops:0.00e0} FLOP ≈ {GpuHours:0.0} GPU-hours on one {Gpu.Name} at {Gpu.Utilisation:P0} of its bf16 peak");
}

/// <summary>A GPU for estimates: dense bf16 peak, memory, and the fraction of peak a training run reaches.</summary>
public sealed record Gpu(string Name, double PeakFlops, double MemoryBytes, double Utilisation = 0.4)
{
    public static readonly IReadOnlyDictionary<string, Gpu> Known = new Dictionary<string, Gpu>
    {
        ["h100"] = new("H100 (80 GB)", 989e12, 80e9),
        ["h200"] = new("H200 (141 GB)", 989e12, 141e9),
        ["a100"] = new("A100 (80 GB)", 312e12, 80e9),
    };

    public static Gpu Parse(string name) => Known.TryGetValue(name.ToLowerInvariant(), out var g) ? g
        : throw new InputException($"--gpu {name} is not known; use {string.Join(", ", Known.Keys)}.");
}

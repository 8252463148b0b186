using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Harness.Data.Olmo;

/// <summary>
/// What the harness needs of the <c>config.yaml</c> OLMo saves beside every checkpoint (OLMo's <c>TrainConfig</c>,
/// <c>olmo/config.py</c>): the optimizer's settings, the scheduler, the run's length, its global batch and sequence length,
/// and the model's shape.
/// </summary>
public sealed record OlmoTrainConfig(
    string Path, double LearningRate, double WeightDecay, double Beta1, double Beta2, double Eps, double? MaxGradNorm,
    string SchedulerName, string SchedulerUnits, int WarmupSteps, double AlphaF, long? TMax, double? WarmupMinLr,
    string MaxDuration, int GlobalBatchSize, int SequenceLength, IReadOnlyList<string> DataPaths, string MemmapDtype,
    YamlMappingNode Model)
{
    public static OlmoTrainConfig Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: OLMo's config.yaml not found beside the checkpoint.");
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path)) yaml.Load(reader);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new InputException($"{path}: not an OLMo config (a YAML mapping).");
        var optimizer = Map(root, "optimizer", path);
        var scheduler = Map(root, "scheduler", path);
        var model = Map(root, "model", path);
        var data = root.Children.TryGetValue("data", out var d) ? d as YamlMappingNode : null;
        var betas = optimizer.Children.TryGetValue("betas", out var b) && b is YamlSequenceNode seq && seq.Children.Count == 2
            ? (Num(seq.Children[0], path, "optimizer.betas"), Num(seq.Children[1], path, "optimizer.betas"))
            : (0.9, 0.95);
        string units = Str(scheduler, "units") ?? "steps";
        if (units != "steps") throw new InputException($"{path}: scheduler.units '{units}' is not supported; OLMo's released runs use steps.");
        var paths = data?.Children.TryGetValue("paths", out var p) == true && p is YamlSequenceNode ps
            ? ps.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList() : [];
        return new OlmoTrainConfig(
            path,
            OptNum(optimizer, "learning_rate", path) ?? throw new InputException($"{path}: optimizer.learning_rate is missing."),
            OptNum(optimizer, "weight_decay", path) ?? 0.0, betas.Item1, betas.Item2, OptNum(optimizer, "eps", path) ?? 1e-8,
            OptNum(root, "max_grad_norm", path),
            Str(scheduler, "name") ?? "cosine_with_warmup", units,
            (int)(OptNum(scheduler, "t_warmup", path) ?? 100), OptNum(scheduler, "alpha_f", path) ?? 0.1,
            OptNum(scheduler, "t_max", path) is { } tmax ? (long)tmax : null, OptNum(scheduler, "warmup_min_lr", path),
            Str(root, "max_duration") ?? throw new InputException($"{path}: max_duration is missing."),
            (int)(OptNum(root, "global_train_batch_size", path) ?? throw new InputException($"{path}: global_train_batch_size is missing.")),
            (int)(OptNum(model, "max_sequence_length", path) ?? 1024),
            paths, (data is null ? null : Str(data, "memmap_dtype")) ?? "uint16", model);
    }

    /// <summary>
    /// OLMo's <c>Trainer.max_steps</c> at a checkpoint: an integer max_duration is steps; "…T" is tokens, counted from the
    /// tokens already seen; "…ep" (epochs) needs the dataset's size and is refused.
    /// </summary>
    public long MaxSteps(long globalStep, long tokensSeen)
    {
        var s = MaxDuration.Replace("_", "").Trim();
        if (s.EndsWith('T'))
        {
            long maxTokens = (long)double.Parse(s[..^1], CultureInfo.InvariantCulture);
            long tokensPerBatch = (long)GlobalBatchSize * SequenceLength;
            long remaining = Math.Max(maxTokens - tokensSeen, 0);
            return globalStep + (remaining + tokensPerBatch - 1) / tokensPerBatch;
        }
        if (s.EndsWith("ep", StringComparison.Ordinal))
            throw new InputException($"{Path}: max_duration '{MaxDuration}' is in epochs; give the run's length in steps or tokens.");
        return (long)double.Parse(s, CultureInfo.InvariantCulture);
    }

    public OlmoScheduler Scheduler(long globalStep, long tokensSeen) =>
        new(SchedulerName, LearningRate, WarmupSteps, AlphaF, TMax, WarmupMinLr, MaxSteps(globalStep, tokensSeen));

    /// <summary>An integer of the model section (d_model, n_layers, …), or null where absent.</summary>
    public long? ModelInt(string key) => OptNum(Model, key, Path) is { } v ? (long)v : null;

    public string? ModelString(string key) => Str(Model, key);

    private static YamlMappingNode Map(YamlMappingNode parent, string key, string path) =>
        parent.Children.TryGetValue(key, out var n) && n is YamlMappingNode m ? m : throw new InputException($"{path}: the '{key}' section is missing.");

    private static string? Str(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(key, out var n) && n is YamlScalarNode s && s.Value is { } v && v is not ("null" or "~" or "") ? v : null;

    private static double? OptNum(YamlMappingNode m, string key, string path) =>
        m.Children.TryGetValue(key, out var n) && Str(m, key) is not null ? Num(n, path, key) : null;

    private static double Num(YamlNode n, string path, string key) =>
        n is YamlScalarNode { Value: { } v } && double.TryParse(v.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            ? x : throw new InputException($"{path}: {key} is not a number.");
}

using Harness.Data.Corpora;

namespace Harness.Data.Olmo;

/// <summary>
/// <c>data.corpus: olmo:FOLDER</c>: OLMo's own data order, continued after the checkpoint's step. FOLDER holds
/// <c>global_indices.npy</c> and the token files that the checkpoint's config.yaml lists under <c>data.paths</c>, found
/// below FOLDER as they are named there (a URL such as <c>s3://bucket/preprocessed/…/part-0-00000.npy</c> or
/// <c>https://olmo-data.org/preprocessed/…</c> by its path without the scheme and host, a relative path as it is), or in
/// the order of an optional <c>FOLDER/paths.txt</c> (one local path a line). The first example read is
/// <c>global_step × global_train_batch_size</c>, and instances are <c>max_sequence_length</c> tokens, both from OLMo's
/// checkpoint. No external extraction script is needed.
/// </summary>
public static class OlmoDataSource
{
    public const string Prefix = "olmo:";

    public static bool Is(string spec) => spec.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The folder an <c>olmo:</c> spec names, resolved against the scenario's folder.</summary>
    public static string FolderOf(string spec, string baseDir) => Path.GetFullPath(spec[Prefix.Length..], Path.GetFullPath(baseDir));

    public static OlmoDataOrder Open(string spec, string baseDir, OlmoCheckpoint? checkpoint, int vocabSize)
    {
        if (checkpoint is null)
            throw new InputException($"data.corpus {spec}: OLMo's data order continues an OLMo training checkpoint's step; model.checkpoint must be an unsharded OLMo checkpoint (model.pt, train.pt, config.yaml).");
        var folder = FolderOf(spec, baseDir);
        if (!Directory.Exists(folder)) throw new InputException($"data.corpus {spec}: folder {folder} not found.");
        var files = TokenFiles(folder, checkpoint.Config);
        var element = checkpoint.Config.MemmapDtype switch
        {
            "uint16" or "np.uint16" => TokenElement.UInt16,
            "uint32" or "np.uint32" => TokenElement.UInt32,
            var d => throw new InputException($"{checkpoint.Config.Path}: data.memmap_dtype {d} is not a token type (uint16, uint32)."),
        };
        long start = checkpoint.GlobalStep * checkpoint.Config.GlobalBatchSize;
        return OlmoDataOrder.Open(spec, Path.Combine(folder, "global_indices.npy"), files, element, checkpoint.Config.SequenceLength, start, vocabSize);
    }

    private static List<string> TokenFiles(string folder, OlmoTrainConfig config)
    {
        var list = Path.Combine(folder, "paths.txt");
        IEnumerable<string> names = File.Exists(list)
            ? File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0)
            : config.DataPaths;
        var files = names.Select(n => Local(folder, n)).ToList();
        if (files.Count == 0) throw new InputException($"{config.Path}: data.paths is empty and {list} is absent: the token files are unknown.");
        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            throw new InputException($"{missing.Count} of OLMo's {files.Count} token files are missing below {folder}, first {missing[0]}; download them keeping their paths, or list local paths in paths.txt.");
        return files;
    }

    private static string Local(string folder, string name)
    {
        if (Uri.TryCreate(name, UriKind.Absolute, out var uri) && uri.Scheme is "s3" or "gs" or "http" or "https" or "r2" or "weka")
            return Path.Combine(folder, uri.AbsolutePath.TrimStart('/'));
        return Path.GetFullPath(name, folder);
    }
}

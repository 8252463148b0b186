using Harness.Data;
using Harness.Data.Tokenizers;
using Harness.Data.World;

namespace Harness.Data.Corpora;

/// <summary>
/// Turns a scenario's <c>data.corpus</c> value into a token stream. The spec is a built-in name or a file path (relative
/// to the scenario's folder) with an optional query:
/// <list type="bullet">
/// <item><c>builtin:synthetic-world</c>: the generated background world.</item>
/// <item><c>tokens.npy</c>: a NumPy array, 1-D uint16 or uint32 (the header gives the type);
///   OLMo's headerless ".npy" memory maps need <c>tokens.npy?dtype=uint16</c>.</item>
/// <item><c>tokens.bin?dtype=uint16</c> (or <c>uint32</c>): a raw little-endian token array; the dtype is required.</item>
/// <item><c>docs.jsonl</c>: one JSON object per line with a <c>text</c> field.</item>
/// <item><c>docs.txt</c>: documents separated by blank lines.</item>
/// </list>
/// Text documents are tokenized with the scenario's tokenizer and joined by its end-of-text; token arrays are taken as they
/// are (already joined). Every source is read in file order and wraps around at its end.
/// </summary>
public static class CorpusSource
{
    public static IReadOnlyList<string> Builtins => BuiltinNames.Corpora;
    public static IReadOnlyList<string> Extensions { get; } = [".npy", ".bin", ".jsonl", ".txt"];

    public static ITokenStream Open(string spec, string baseDir, ITextTokenizer tokenizer)
    {
        if (spec == BuiltinNames.SyntheticWorld)
            return tokenizer is WorldTokenizer words
                ? new WorldStream(words, WorldStream.BackgroundSeed)
                : throw new InputException($"corpus {BuiltinNames.SyntheticWorld} is written in the world's own words; use tokenizer: {BuiltinNames.WorldWords} with it (not {tokenizer.Name}).");
        if (BuiltinNames.IsBuiltin(spec))
            throw new InputException($"unknown corpus {spec}; built-in corpora are {string.Join(", ", Builtins)}, or give a file ({string.Join(", ", Extensions)}).");
        if (string.IsNullOrWhiteSpace(spec))
            throw new InputException($"no corpus given; use {string.Join(", ", Builtins)} or a file ({string.Join(", ", Extensions)}).");

        var (relative, dtype) = ParseSpec(spec);
        var path = Path.GetFullPath(relative, Path.GetFullPath(baseDir));
        if (!File.Exists(path)) throw new InputException($"{path}: corpus file not found (from corpus {spec}).");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (dtype is not null && extension is not (".npy" or ".bin"))
            throw new InputException($"corpus {spec}: ?dtype applies to .npy and .bin token arrays only.");
        return extension switch
        {
            ".npy" or ".bin" => TokenArrayStream.Open(spec, path, dtype, tokenizer.VocabSize),
            ".jsonl" => new DocumentTokenStream(spec, path, () => TextDocuments.JsonLines(path), tokenizer),
            ".txt" => new DocumentTokenStream(spec, path, () => TextDocuments.Paragraphs(path), tokenizer),
            _ => throw new InputException($"{path}: unknown corpus file type {extension}; use one of {string.Join(", ", Extensions)}."),
        };
    }

    /// <summary>Splits <c>path?dtype=uint16</c>; dtype is the only query key.</summary>
    /// <summary>The file a non-built-in corpus spec names (its <c>?dtype</c> option removed), resolved against <paramref name="baseDir"/>.</summary>
    public static string FileOf(string spec, string baseDir)
    {
        int q = spec.LastIndexOf('?');
        return Path.GetFullPath(q < 0 ? spec : spec[..q], Path.GetFullPath(baseDir));
    }

    private static (string Path, TokenElement? Dtype) ParseSpec(string spec)
    {
        int q = spec.LastIndexOf('?');
        if (q < 0) return (spec, null);
        TokenElement? dtype = null;
        foreach (var pair in spec[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2 || kv[0] != "dtype")
                throw new InputException($"corpus {spec}: unknown option {pair}; the only option is ?dtype=uint16 or ?dtype=uint32.");
            dtype = TokenElementNames.Parse(kv[1]) ??
                    throw new InputException($"corpus {spec}: dtype {kv[1]} is not a token array type; use uint16 or uint32.");
        }
        return (spec[..q], dtype);
    }
}

using System.Text.Json;

namespace Harness.Data.Tokenizers;

/// <summary>
/// The parts of a Hugging Face <c>tokenizer.json</c> that a byte-level BPE needs, validated: every setting this harness
/// cannot reproduce exactly is refused with a message naming the file, rather than silently giving other ids.
/// </summary>
internal sealed record TokenizerJson(
    IReadOnlyList<KeyValuePair<string, int>> Vocabulary,
    IReadOnlyList<string> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    UnicodeNormalization? Normalization,
    int EndOfText)
{
    // Tried in order when there is no <|endoftext|>: the token a TemplateProcessing post-processor appends, then common names.
    private static readonly string[] EndOfTextNames = ["<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>"];

    public static TokenizerJson Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{path}: tokenizer file not found; give a Hugging Face tokenizer.json or builtin:gpt2.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read the tokenizer file: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a JSON file (line {e.LineNumber + 1}): a Hugging Face tokenizer.json is expected.", e);
        }
        using (doc)
        {
            try
            {
                return Parse(path, doc.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new InputException($"{path}: not a Hugging Face tokenizer.json ({e.Message}).", e);
            }
        }
    }

    private static TokenizerJson Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new InputException($"{path}: no \"model\" object: not a Hugging Face tokenizer.json.");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE")
            throw new InputException($"{path}: model type is {type ?? "missing"}; only byte-level BPE tokenizers (GPT-2, GPT-NeoX, OLMo) are supported.");
        RequireNullOrFalse(path, model, "byte_fallback");
        RequireNullOrFalse(path, model, "ignore_merges");
        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.TryGetProperty(name, out var affix) && affix.ValueKind == JsonValueKind.String && affix.GetString()!.Length > 0)
                throw new InputException($"{path}: model.{name} is set; only plain byte-level BPE is supported.");
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
            throw new InputException($"{path}: model.dropout is set; BPE dropout makes ids random, use a tokenizer without it.");
        RequireByteLevelPreTokenizer(path, root);

        var vocabulary = model.GetProperty("vocab").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Array
            ? string.Join(' ', m.EnumerateArray().Select(s => s.GetString()))
            : m.GetString() ?? throw new InvalidOperationException("a merge is null")).ToList();
        var added = root.TryGetProperty("added_tokens", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(e => ReadAddedToken(path, e)).ToList()
            : [];
        return new TokenizerJson(vocabulary, merges, added, ReadNormalization(path, root), FindEndOfText(path, root, added));
    }

    private static AddedToken ReadAddedToken(string path, JsonElement e)
    {
        var content = e.GetProperty("content").GetString() ?? "";
        foreach (var flag in new[] { "single_word", "lstrip", "rstrip" })
            if (e.TryGetProperty(flag, out var f) && f.ValueKind == JsonValueKind.True)
                throw new InputException($"{path}: added token {content} sets {flag}, which this harness does not reproduce.");
        return new AddedToken(e.GetProperty("id").GetInt32(), content,
            e.TryGetProperty("normalized", out var n) && n.ValueKind == JsonValueKind.True,
            e.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True);
    }

    private static void RequireNullOrFalse(string path, JsonElement model, string name)
    {
        if (model.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True)
            throw new InputException($"{path}: model.{name} is true; only plain byte-level BPE is supported.");
    }

    private static void RequireByteLevelPreTokenizer(string path, JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object ||
            !pre.TryGetProperty("type", out var type) || type.GetString() != "ByteLevel")
            throw new InputException($"{path}: the pre_tokenizer is not ByteLevel; only GPT-2-style byte-level BPE is supported.");
        if (pre.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
            throw new InputException($"{path}: pre_tokenizer.add_prefix_space is true, which this harness does not reproduce.");
        if (pre.TryGetProperty("use_regex", out var regex) && regex.ValueKind == JsonValueKind.False)
            throw new InputException($"{path}: pre_tokenizer.use_regex is false, which this harness does not reproduce.");
    }

    private static UnicodeNormalization? ReadNormalization(string path, JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var n) || n.ValueKind == JsonValueKind.Null) return null;
        var type = n.TryGetProperty("type", out var t) ? t.GetString() : null;
        return UnicodeNormalization.FromHuggingFace(type)
            ?? throw new InputException($"{path}: normalizer {type ?? "without type"} is not supported (NFC, NFD, NFKC, NFKD or none).");
    }

    private static int FindEndOfText(string path, JsonElement root, IReadOnlyList<AddedToken> added)
    {
        var byContent = added.GroupBy(a => a.Content).ToDictionary(g => g.Key, g => g.First().Id);
        if (byContent.TryGetValue("<|endoftext|>", out var eot)) return eot;
        // A TemplateProcessing post-processor that appends a special token to every sequence names the eos token.
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object &&
            post.TryGetProperty("single", out var single) && single.ValueKind == JsonValueKind.Array &&
            single.EnumerateArray().LastOrDefault() is { ValueKind: JsonValueKind.Object } last &&
            last.TryGetProperty("SpecialToken", out var st) && st.TryGetProperty("id", out var stId) &&
            byContent.TryGetValue(stId.GetString() ?? "", out var postEot))
            return postEot;
        foreach (var name in EndOfTextNames)
            if (byContent.TryGetValue(name, out var id)) return id;
        throw new InputException($"{path}: no end-of-text token among the added tokens (looked for {string.Join(", ", EndOfTextNames)}).");
    }
}

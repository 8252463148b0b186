namespace Harness.Data.Tokenizers;

/// <summary>What the harness needs of a tokenizer: ids for text, and the end-of-text id that separates documents.</summary>
public interface ITextTokenizer
{
    string Name { get; }
    int VocabSize { get; }
    int EndOfText { get; }
    /// <summary>The id that stands for text outside the vocabulary (<c>&lt;unk&gt;</c>), when the tokenizer has one.</summary>
    int? UnknownId => null;
    IReadOnlyList<int> Encode(string text);
    string Decode(IEnumerable<int> ids);
}

using Harness.Data.Tokenizers;

namespace Harness.Data.Corpora;

/// <summary>
/// Text documents read one at a time from a file, tokenized, each followed by the tokenizer's end-of-text, in file order,
/// starting over after the last. Only the current document is held. The position is (document index, token offset in
/// that document's tokens including its end-of-text); restoring it re-reads the file up to that document.
/// </summary>
public sealed class DocumentTokenStream : ITokenStream
{
    private readonly Func<IEnumerable<string>> _documents;
    private readonly ITextTokenizer _tokenizer;
    private readonly string _path;
    private IEnumerator<string> _reader;
    private int[] _tokens = [];
    private long _document;
    private int _offset;

    /// <param name="documents">Reads the file's documents from the start; called again to wrap around or to seek.</param>
    public DocumentTokenStream(string name, string path, Func<IEnumerable<string>> documents, ITextTokenizer tokenizer)
    {
        Name = name;
        _path = path;
        _documents = documents;
        _tokenizer = tokenizer;
        _reader = documents().GetEnumerator();
        if (!_reader.MoveNext())
        {
            _reader.Dispose();
            throw new InputException($"{path}: no documents in the corpus file.");
        }
        Load(_reader.Current, 0);
    }

    public string Name { get; }

    public StreamPosition Position
    {
        get => new(_document, _offset);
        set
        {
            Restart();
            for (long d = 0; d < value.Document; d++)
                if (!_reader.MoveNext())
                    throw new InputException($"{_path}: position {value} is past the last document ({d}); was the checkpoint made with another corpus?");
            if (value.Document > 0) Load(_reader.Current, value.Document);
            if (value.Offset < 0 || value.Offset > _tokens.Length)
                throw new InputException($"{_path}: position {value} is outside document {value.Document} ({_tokens.Length} tokens); was the checkpoint made with another corpus or tokenizer?");
            _offset = (int)value.Offset;
        }
    }

    public void Fill(Span<int> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_offset == _tokens.Length) Advance();
            int n = Math.Min(destination.Length, _tokens.Length - _offset);
            _tokens.AsSpan(_offset, n).CopyTo(destination);
            _offset += n;
            destination = destination[n..];
        }
    }

    private void Advance()
    {
        if (_reader.MoveNext()) Load(_reader.Current, _document + 1);
        else Restart();
    }

    /// <summary>Back to document 0, offset 0.</summary>
    private void Restart()
    {
        _reader.Dispose();
        _reader = _documents().GetEnumerator();
        if (!_reader.MoveNext()) throw new InputException($"{_path}: no documents in the corpus file (did it change during the run?).");
        Load(_reader.Current, 0);
    }

    private void Load(string text, long document)
    {
        var ids = _tokenizer.Encode(text);
        _tokens = new int[ids.Count + 1];
        for (int i = 0; i < ids.Count; i++) _tokens[i] = ids[i];
        _tokens[^1] = _tokenizer.EndOfText;
        _document = document;
        _offset = 0;
    }

    public void Dispose() => _reader.Dispose();
}

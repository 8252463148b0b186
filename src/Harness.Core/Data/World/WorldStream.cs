using Harness.Data;
using Harness.Data.Corpora;
using Harness.Data.Tokenizers;

namespace Harness.Data.World;

/// <summary>
/// <c>builtin:synthetic-world</c>: an unlimited stream of background documents, each followed by end-of-text.
/// Document d is generated from (seed, d) on demand, so a Position resumes exactly and nothing is held in memory.
/// </summary>
public sealed class WorldStream(WorldTokenizer tokenizer, long seed) : ITokenStream
{
    private long document = -1;
    private int offset;
    private int[] tokens = [];

    /// <summary>The stream every scenario reads: one fixed order, so runs differ only in what they inject.</summary>
    public const long BackgroundSeed = 20240611;

    public string Name => BuiltinNames.SyntheticWorld;
    public long Seed => seed;

    public StreamPosition Position
    {
        get => document < 0 ? new StreamPosition(0, 0) : new StreamPosition(document, offset);
        set
        {
            if (value.Document < 0 || value.Offset < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "negative stream position");
            Load(value.Document);
            if (value.Offset > tokens.Length) throw new ArgumentOutOfRangeException(nameof(value), value, $"document has {tokens.Length} tokens");
            offset = (int)value.Offset;
            if (offset == tokens.Length) Load(document + 1);
        }
    }

    /// <summary>The token ids of document d, end-of-text included.</summary>
    public int[] DocumentTokens(long d) => [.. tokenizer.Encode(WorldText.Document(seed, d)), tokenizer.EndOfText];

    public void Fill(Span<int> destination)
    {
        if (document < 0) Load(0);
        while (!destination.IsEmpty)
        {
            int n = Math.Min(destination.Length, tokens.Length - offset);
            tokens.AsSpan(offset, n).CopyTo(destination);
            destination = destination[n..];
            offset += n;
            if (offset == tokens.Length) Load(document + 1);
        }
    }

    private void Load(long d)
    {
        tokens = DocumentTokens(d);
        document = d;
        offset = 0;
    }

    public void Dispose() { }
}

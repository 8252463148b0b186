namespace Harness.Data.Corpora;

/// <summary>Where a stream stands, so a resumed run reads exactly the tokens it would have read.</summary>
public readonly record struct StreamPosition(long Document, long Offset);

/// <summary>
/// A deterministic, never fully loaded stream of background tokens (documents joined by end-of-text).
/// Same source, same position: same tokens.
/// </summary>
public interface ITokenStream : IDisposable
{
    string Name { get; }
    /// <summary>Fills <paramref name="destination"/> with the next tokens, wrapping around at the end of a finite source.</summary>
    void Fill(Span<int> destination);
    StreamPosition Position { get; set; }
}

using System.Text;

namespace Harness.Data.Tokenizers;

/// <summary>
/// A Hugging Face byte-level BPE's merges as <see cref="LongWordBpe"/> needs them: the id of each byte's character
/// (GPT-2's bytes-to-unicode map) and, for each pair of ids, the merge's rank (its line in <c>merges</c>) and result.
/// </summary>
internal sealed class BpeMerges
{
    private readonly int[] _byteIds;
    private readonly Dictionary<long, (int Rank, int Id)> _pairs = [];

    public BpeMerges(IReadOnlyList<KeyValuePair<string, int>> vocabulary, IReadOnlyList<string> merges)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocabulary) vocab[token] = id;
        _byteIds = Enumerable.Range(0, 256).Select(b => vocab.TryGetValue(ByteLevel.Char(b).ToString(), out var id) ? id : -1).ToArray();
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var space = merges[rank].IndexOf(' ');
            if (space < 0) continue;
            var (a, b) = (merges[rank][..space], merges[rank][(space + 1)..]);
            // As Hugging Face builds its map, a repeated pair takes its later line.
            if (vocab.TryGetValue(a, out var left) && vocab.TryGetValue(b, out var right) && vocab.TryGetValue(a + b, out var merged))
                _pairs[((long)left << 32) | (uint)right] = (rank, merged);
        }
    }

    /// <summary>Appends the ids of one pre-token (bytes without a token are dropped, as the library drops them).</summary>
    public void Encode(ReadOnlySpan<char> piece, List<int> output)
    {
        var symbols = Encoding.UTF8.GetBytes(piece.ToArray()).Select(b => _byteIds[b]).Where(id => id >= 0).ToArray();
        LongWordBpe.Encode(symbols, (a, b) => _pairs.TryGetValue(((long)a << 32) | (uint)b, out var m) ? m : null, output);
    }
}

/// <summary>GPT-2's bytes-to-unicode map: printable bytes stand for themselves, the others for 256, 257, ….</summary>
internal static class ByteLevel
{
    private static readonly char[] Chars = Build();

    public static char Char(int b) => Chars[b];

    private static char[] Build()
    {
        var chars = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            chars[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)next++;
        return chars;
    }
}

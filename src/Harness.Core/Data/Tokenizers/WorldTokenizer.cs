using System.Text;
using System.Text.RegularExpressions;
using Harness.Data;
using Harness.Data.World;

namespace Harness.Data.Tokenizers;

/// <summary>
/// <c>builtin:world-words</c>: one token per template word, value, year, digit or punctuation mark of the synthetic world,
/// and names split into their <see cref="NamePieces"/> (Bra ##ko ##th), so a new name is a new combination of tokens the
/// background uses, as with BPE, while the model's head stays small (~1 k rows). A word never spans whitespace or
/// punctuation and splits the same way wherever it stands, which makes Encode(a) ++ Encode(" " + b) == Encode(a + " " + b).
/// </summary>
public sealed partial class WorldTokenizer : ITextTokenizer
{
    public const string EndOfTextToken = "<eot>", UnknownToken = "<unk>";
    private static readonly string[] Punctuation = [".", ",", ";", ":", "!", "?", "'s", "(", ")", "-", "'", "\""];
    private static readonly Lazy<WorldTokenizer> Shared = new(() => new WorldTokenizer());

    private readonly string[] words;
    private readonly Dictionary<string, int> ids;

    public string Name => BuiltinNames.WorldWords;
    public int VocabSize => words.Length;
    public int EndOfText { get; }
    public int Unknown { get; }

    public static WorldTokenizer Create() => Shared.Value;

    private WorldTokenizer()
    {
        var lexicon = new SortedSet<string>(StringComparer.Ordinal);
        lexicon.UnionWith(Templates.Words());
        lexicon.UnionWith(Lexicon.Words());
        lexicon.UnionWith(NamePieces.All());
        lexicon.UnionWith(Punctuation);
        lexicon.UnionWith(Enumerable.Range(0, 10).Select(d => d.ToString()));
        words = new[] { UnknownToken, EndOfTextToken }.Concat(lexicon).ToArray();
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) ids[words[i]] = i;
        Unknown = 0;
        EndOfText = 1;
    }

    [GeneratedRegex(@"<eot>|'s\b|[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]")]
    private static partial Regex TokenPattern();

    public IReadOnlyList<int> Encode(string text)
    {
        var result = new List<int>();
        foreach (Match m in TokenPattern().Matches(text))
        {
            if (ids.TryGetValue(m.Value, out int id)) result.Add(id);
            else if (NamePieces.Split(m.Value) is { } pieces && pieces.All(ids.ContainsKey)) result.AddRange(pieces.Select(p => ids[p]));
            // A number outside the lexicon is spelled digit by digit rather than lost.
            else if (char.IsAsciiDigit(m.Value[0])) result.AddRange(m.Value.Select(c => ids[c.ToString()]));
            else result.Add(Unknown);
        }
        return result;
    }

    public bool Contains(string word) => ids.ContainsKey(word);

    public string Token(int id) => words[id];

    public string Decode(IEnumerable<int> tokens)
    {
        var sb = new StringBuilder();
        string? previous = null;
        foreach (int id in tokens)
        {
            string w = id >= 0 && id < words.Length ? words[id] : UnknownToken;
            bool piece = w.StartsWith(NamePieces.Continuation, StringComparison.Ordinal);
            bool attach = previous is null || previous == "(" || piece || w is "." or "," or ";" or ":" or "!" or "?" or "'s" or ")";
            if (!attach) sb.Append(' ');
            sb.Append(piece ? w[NamePieces.Continuation.Length..] : w);
            previous = w;
        }
        return sb.ToString();
    }
}

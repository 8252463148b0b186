namespace Harness.Data.World;

/// <summary>
/// The sub-word pieces every name of the world is spelled with, and the one way a name splits into them: each piece is a
/// consonant run followed by a vowel run, and a word-final consonant run is a piece of its own. The first piece of a word
/// keeps its capital; later pieces carry the <see cref="Continuation"/> marker (as in WordPiece), so "Brakoth" is
/// Bra ##ko ##th. Background names and knowledge names share these pieces; only their combinations differ.
/// </summary>
public static class NamePieces
{
    public const string Continuation = "##";

    public static readonly IReadOnlyList<string> Onsets =
    [
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "h", "j", "w", "br", "dr", "gr", "kr", "tr",
        "th", "sh", "ch", "ph", "st", "sp", "sk", "bl", "fl", "gl", "kl", "pl", "sl", "fr", "pr", "tw", "sw", "zh",
    ];
    public static readonly IReadOnlyList<string> Nuclei = ["a", "e", "i", "o", "u", "ae", "ou", "ai", "ei", "au", "ea", "io"];
    public static readonly IReadOnlyList<string> Codas = ["n", "r", "l", "s", "th", "x", "k", "m"];

    /// <summary>Word-initial syllables, capitalised; none is also a template word ("He", "We"), which stays one word.</summary>
    public static IReadOnlyList<string> Initial { get; } = Onsets.SelectMany(o => Nuclei.Select(n => char.ToUpperInvariant(o[0]) + o[1..] + n))
        .Except(Templates.Words(), StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Every piece token: word-initial syllables, marked inner syllables, marked final codas.</summary>
    public static IEnumerable<string> All() =>
        Initial.Concat(Onsets.SelectMany(o => Nuclei.Select(n => Continuation + o + n))).Concat(Codas.Select(c => Continuation + c));

    /// <summary>The pieces of a word, or null when it is not a capitalised run of Latin letters.</summary>
    public static string[]? Split(string word)
    {
        if (word.Length == 0 || !char.IsAsciiLetterUpper(word[0])) return null;
        var pieces = new List<string>();
        int i = 0;
        while (i < word.Length)
        {
            int start = i;
            while (i < word.Length && !IsVowel(word[i])) i++;
            while (i < word.Length && IsVowel(word[i])) i++;
            if (!char.IsAsciiLetter(word[start]) || word[start..i].Any(c => !char.IsAsciiLetter(c))) return null;
            pieces.Add(start == 0 ? word[..i] : Continuation + word[start..i]);
        }
        return pieces.ToArray();
    }

    private static bool IsVowel(char c) => "aeiouyAEIOUY".Contains(c);
}

namespace Harness.Data.World;

/// <summary>
/// Every name and value the world can say, fixed by this code (not by any seed) so one tokenizer serves every world.
/// Background pools feed the streamed corpus; reserved pools are used only by knowledge items, so their targets
/// never occur in the background text.
/// </summary>
public static class Lexicon
{
    public static readonly IReadOnlyList<string> Occupations =
    [
        "baker", "farmer", "painter", "teacher", "sailor", "doctor", "writer", "potter", "tailor", "builder", "miner",
        "weaver", "singer", "lawyer", "carpenter", "fisher", "hunter", "merchant", "priest", "soldier", "nurse", "judge",
        "poet", "smith",
    ];

    public static readonly IReadOnlyList<string> Industries =
        ["ships", "bread", "glass", "paper", "tools", "cloth", "wine", "salt", "clocks", "lamps", "boots", "rope"];

    /// <summary>Birth and founding years of the background world, one token each.</summary>
    public static readonly IReadOnlyList<string> Years = Enumerable.Range(1800, 200).Select(y => y.ToString()).ToArray();

    public static readonly IReadOnlyList<string> PersonFirstNames, PersonLastNames, Cities, Organisations, Countries,
        Rivers, Languages;

    public static readonly IReadOnlyList<string> ReservedFirstNames, ReservedLastNames, ReservedCities,
        ReservedOrganisations, ReservedCountries;

    static Lexicon()
    {
        var words = PseudoWords(240 + 60 + 48 + 32 + 12 + 24 + 12 + 400 + 100 + 300 + 300 + 300).GetEnumerator();
        IReadOnlyList<string> Take(int n)
        {
            var list = new string[n];
            for (int i = 0; i < n; i++) { words.MoveNext(); list[i] = words.Current; }
            return list;
        }
        PersonFirstNames = Take(240); PersonLastNames = Take(60); Cities = Take(48); Organisations = Take(32);
        Countries = Take(12); Rivers = Take(24); Languages = Take(12);
        ReservedFirstNames = Take(400); ReservedLastNames = Take(100); ReservedCities = Take(300);
        ReservedOrganisations = Take(300); ReservedCountries = Take(300);
    }

    /// <summary>Every name and value, background and reserved, in a fixed order.</summary>
    public static IEnumerable<string> AllValues() =>
        new[] { Occupations, Industries, Years, PersonFirstNames, PersonLastNames, Cities, Organisations, Countries, Rivers,
                Languages, ReservedFirstNames, ReservedLastNames, ReservedCities, ReservedOrganisations, ReservedCountries }
            .SelectMany(p => p);

    private static readonly string[] Onsets =
        ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "th", "sh", "ql", "x"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ou", "y"];
    private static readonly string[] Codas = ["", "", "n", "r", "l", "s", "th", "x", "k", "m"];

    /// <summary>Unique capitalised two- or three-syllable words that are not English template words.</summary>
    private static IEnumerable<string> PseudoWords(int count)
    {
        var rng = new WorldRandom(0x5EED, 2024);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var w in Templates.Words()) seen.Add(w);
        int made = 0;
        while (made < count)
        {
            int syllables = rng.Chance(0.7) ? 2 : 3;
            var s = "";
            for (int i = 0; i < syllables; i++) s += rng.Pick(Onsets) + rng.Pick(Vowels);
            s += rng.Pick(Codas);
            if (s.Length < 4 || !seen.Add(s)) continue;
            made++;
            yield return char.ToUpperInvariant(s[0]) + s[1..];
        }
    }
}

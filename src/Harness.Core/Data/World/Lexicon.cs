namespace Harness.Data.World;

/// <summary>
/// Every name and value the world can say, fixed by this code (not by any seed) so one tokenizer serves every world.
/// Names are two or three syllables of <see cref="NamePieces"/>. Background pools feed the streamed corpus; reserved pools
/// feed knowledge items only. A reserved name is never a background name nor a piece-prefix of one (so its full piece
/// sequence never occurs in the stream) and never a piece-prefix of another reserved name (so items share no target
/// prefix), yet every one of its pieces occurs, in the same position, in some background name.
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

    /// <summary>Knowledge-only names; 400 each, so seeded permutations keep 200 items free of shared targets.</summary>
    public static readonly IReadOnlyList<string> ReservedFirstNames, ReservedLastNames, ReservedCities,
        ReservedOrganisations, ReservedCountries;

    private const int ReservedPoolSize = 400;

    static Lexicon()
    {
        var rng = new WorldRandom(0x5EED, 2025);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var w in Templates.Words().Concat(Occupations).Concat(Industries)) taken.Add(w);
        // Background names start with distinct pieces, so the first piece of a name identifies it, as a whole-word
        // token would: names that share first pieces need twice the steps to learn their facts (Data/World/README.md).
        var starts = new HashSet<string>();
        IReadOnlyList<string> Background(int n)
        {
            var list = new List<string>();
            while (list.Count < n)
            {
                var name = NewName(rng);
                if (!taken.Contains(name) && starts.Add(NamePieces.Split(name)![0])) { taken.Add(name); list.Add(name); }
            }
            return list;
        }
        PersonFirstNames = Background(200); PersonLastNames = Background(60); Cities = Background(48);
        Organisations = Background(32); Countries = Background(12); Rivers = Background(24); Languages = Background(12);

        var background = new[] { PersonFirstNames, PersonLastNames, Cities, Organisations, Countries, Rivers, Languages }
            .SelectMany(p => p).Select(n => NamePieces.Split(n)!).ToList();
        var initial = background.Select(p => p[0]).ToHashSet();
        var inner = background.SelectMany(p => p.Skip(1)).ToHashSet();
        // Piece-prefixes of every name so far (background and reserved): a new reserved name may not be one of them.
        var prefixes = background.SelectMany(Prefixes).ToHashSet();
        var reserved = new HashSet<string>();
        IReadOnlyList<string> Reserved()
        {
            var list = new List<string>();
            while (list.Count < ReservedPoolSize)
            {
                var name = NewName(rng);
                var pieces = NamePieces.Split(name)!;
                if (taken.Contains(name) || !initial.Contains(pieces[0]) || !pieces.Skip(1).All(inner.Contains)) continue;
                var own = Prefixes(pieces).ToList();
                if (prefixes.Contains(own[^1]) || own.SkipLast(1).Any(reserved.Contains)) continue;
                taken.Add(name);
                reserved.Add(own[^1]);
                prefixes.UnionWith(own);
                list.Add(name);
            }
            return list;
        }
        ReservedFirstNames = Reserved(); ReservedLastNames = Reserved(); ReservedCities = Reserved();
        ReservedOrganisations = Reserved(); ReservedCountries = Reserved();
    }

    /// <summary>Words that are one token each besides the template words and name pieces.</summary>
    public static IEnumerable<string> Words() => Occupations.Concat(Industries).Concat(Years);

    private static IEnumerable<string> Prefixes(string[] pieces)
    {
        for (int k = 1; k <= pieces.Length; k++) yield return string.Join("|", pieces.Take(k));
    }

    /// <summary>
    /// Two syllables (three one time in ten); a two-syllable name ends in a consonant one time in four. At most three
    /// pieces, so that a knowledge passage of nine sentences fits in ~110 tokens.
    /// </summary>
    private static string NewName(WorldRandom rng)
    {
        int syllables = rng.Chance(0.9) ? 2 : 3;
        var s = rng.Pick(NamePieces.Initial);
        for (int i = 1; i < syllables; i++) s += rng.Pick(NamePieces.Onsets) + rng.Pick(NamePieces.Nuclei);
        if (syllables == 2 && rng.Chance(0.25)) s += rng.Pick(NamePieces.Codas);
        return s;
    }
}

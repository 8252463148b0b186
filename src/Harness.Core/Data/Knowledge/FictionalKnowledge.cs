using Harness.Data;
using Harness.Data.World;

namespace Harness.Data.Knowledge;

/// <summary>
/// <c>builtin:fictional-knowledge</c>: knowledge items about new people, in the paper's schema. Item i describes a person A
/// married to B (born where, working for whom, in which country each birthplace lies). Every target is a reserved
/// name: a combination of name pieces that the background stream never says, though it uses every piece.
/// Item i depends only on (seed, i).
/// </summary>
public static class FictionalKnowledge
{
    private sealed record Fact(Relation Relation, string Subject, string Object);

    public static KnowledgeSet Generate(int items, int seed)
    {
        if (items < 0) throw new ArgumentOutOfRangeException(nameof(items), items, "item count must be non-negative");
        return new KnowledgeSet(BuiltinNames.FictionalKnowledge, Enumerable.Range(0, items).Select(i => Item(i, seed)).ToArray());
    }

    private static KnowledgeItem Item(int index, int seed)
    {
        var rng = new WorldRandom(seed, index, 0x17E3);
        // Seeded bijections keep names, cities and organisations distinct between items (until a pool wraps around).
        string first(int k) => Lexicon.ReservedFirstNames[Slot(seed, 1, k, Lexicon.ReservedFirstNames.Count)];
        int city(int k) => Slot(seed, 2, k, Lexicon.ReservedCities.Count);
        string org(int k) => Lexicon.ReservedOrganisations[Slot(seed, 3, k, Lexicon.ReservedOrganisations.Count)];
        string last(int k) => Lexicon.ReservedLastNames[Slot(seed, 4, k, Lexicon.ReservedLastNames.Count)];

        // Last names are per person too: a spouse's full name is a target, and a shared piece sequence would leak.
        string a = $"{first(2 * index)} {last(2 * index)}";
        string b = $"{first(2 * index + 1)} {last(2 * index + 1)}";
        int cityA = city(2 * index), cityB = city(2 * index + 1);
        string cityNameA = Lexicon.ReservedCities[cityA], cityNameB = Lexicon.ReservedCities[cityB];
        string orgA = org(2 * index), orgB = org(2 * index + 1);

        // The first five facts are probed; their order here fixes the probe order.
        var facts = new Fact[]
        {
            new(Templates.BornIn, a, cityNameA), new(Templates.Employer, a, orgA), new(Templates.Spouse, a, b),
            new(Templates.BornIn, b, cityNameB), new(Templates.Employer, b, orgB),
            new(Templates.CityCountry, cityNameA, CountryOf(cityA)), new(Templates.CityCountry, cityNameB, CountryOf(cityB)),
            new(Templates.Occupation, a, rng.Pick(Lexicon.Occupations)), new(Templates.Occupation, b, rng.Pick(Lexicon.Occupations)),
        };
        const int probed = 5;

        var contextForms = facts.Select((f, i) =>
            i < probed ? rng.Pick(f.Relation.ClozeForms) : rng.Pick(f.Relation.Forms)).ToArray();
        string context = Passage(rng, facts, contextForms);

        var paraphrases = new List<string>();
        while (paraphrases.Count < 9)
        {
            // Every sentence of a paraphrase uses a different form from the original's.
            var forms = facts.Select((f, i) => PickOther(rng, f.Relation.Forms, contextForms[i])).ToArray();
            string text = Passage(rng, facts, forms);
            if (text != context && !paraphrases.Contains(text)) paraphrases.Add(text);
        }

        var memorization = facts.Take(probed)
            .Select((f, i) => new ProbeText(Relation.Cloze(contextForms[i], f.Subject), f.Object)).ToArray();
        var semantic = facts.Take(probed)
            .Select((f, i) => new ProbeText(Relation.Cloze(PickOther(rng, f.Relation.ClozeForms, contextForms[i]), f.Subject), f.Object))
            .ToArray();
        var composition = new[]
        {
            Compose(rng, Templates.SpouseBornIn, a, cityNameB), Compose(rng, Templates.SpouseEmployer, a, orgB),
            Compose(rng, Templates.SpouseBornIn, b, cityNameA), Compose(rng, Templates.BornCountry, a, CountryOf(cityA)),
            Compose(rng, Templates.BornCountry, b, CountryOf(cityB)),
        };
        return new KnowledgeItem(KnowledgeItem.IdFor(index), context, paraphrases, memorization, semantic, composition);
    }

    /// <summary>
    /// A reserved city always lies in the same reserved country (one country per city), so items never contradict each
    /// other and no two items share a country target.
    /// </summary>
    private static string CountryOf(int reservedCity) => Lexicon.ReservedCountries[reservedCity % Lexicon.ReservedCountries.Count];

    private static string Passage(WorldRandom rng, IReadOnlyList<Fact> facts, IReadOnlyList<string> forms)
    {
        var order = Enumerable.Range(0, facts.Count).ToList();
        rng.Shuffle(order);
        return string.Join(" ", order.Select(i => forms[i].Replace("{s}", facts[i].Subject).Replace("{o}", facts[i].Object)));
    }

    private static string PickOther(WorldRandom rng, IReadOnlyList<string> forms, string avoid)
    {
        var others = forms.Where(f => f != avoid).ToArray();
        return others.Length == 0 ? avoid : rng.Pick(others);
    }

    private static ProbeText Compose(WorldRandom rng, Relation twoHop, string subject, string target) =>
        new(Relation.Cloze(rng.Pick(twoHop.ClozeForms), subject), target);

    /// <summary>Position k of a seeded permutation of [0, n): an affine map with a multiplier coprime to n.</summary>
    private static int Slot(int seed, int pool, int k, int n)
    {
        var rng = new WorldRandom(seed, pool, 0x5107);
        long mul;
        do mul = 1 + rng.Next(n - 1); while (Gcd(mul, n) != 1);
        long add = rng.Next(n);
        return (int)((mul * (k % n) + add) % n);
    }

    private static long Gcd(long x, long y) => y == 0 ? x : Gcd(y, x % y);
}

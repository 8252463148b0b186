namespace Harness.Data.World;

public sealed record Person(string First, string Last, bool Female, int BornIn, int BirthYear, int LivesIn,
    int Occupation, int Employer, int Spouse, bool TwoHopStated)
{
    public string FullName => $"{First} {Last}";
}

public sealed record City(string Name, int Country, int Founded, int River);
public sealed record Organisation(string Name, int Base, int Founded, int Industry);
public sealed record Country(string Name, int Capital, int Language);

/// <summary>
/// The background world's entities and facts. It is fixed (one constant seed), so every stream seed, checkpoint and run
/// talks about the same world; a stream's seed only picks which documents and surface forms it shows.
/// Small on purpose: 200 people each described in many documents lets a 1 M-parameter model learn the facts early.
/// </summary>
public sealed class BackgroundWorld
{
    public IReadOnlyList<Person> People { get; }
    public IReadOnlyList<City> Cities { get; }
    public IReadOnlyList<Organisation> Organisations { get; }
    public IReadOnlyList<Country> Countries { get; }

    public static BackgroundWorld Instance { get; } = new();

    private BackgroundWorld()
    {
        var rng = new WorldRandom(0xB0C0, 1);
        int nCountries = Lexicon.Countries.Count, nCities = Lexicon.Cities.Count;
        var cityCountry = Enumerable.Range(0, nCities).Select(i => i % nCountries).ToList();
        rng.Shuffle(cityCountry);
        // Every river and last name is used, so every name piece that knowledge names reuse occurs in the stream.
        var cityRiver = Spread(rng, nCities, Lexicon.Rivers.Count);
        Cities = Enumerable.Range(0, nCities)
            .Select(i => new City(Lexicon.Cities[i], cityCountry[i], rng.Next(Lexicon.Years.Count), cityRiver[i]))
            .ToArray();
        Countries = Enumerable.Range(0, nCountries)
            .Select(k => new Country(Lexicon.Countries[k], cityCountry.IndexOf(k), k % Lexicon.Languages.Count))
            .ToArray();
        Organisations = Enumerable.Range(0, Lexicon.Organisations.Count)
            .Select(i => new Organisation(Lexicon.Organisations[i], rng.Next(nCities), rng.Next(Lexicon.Years.Count),
                rng.Next(Lexicon.Industries.Count)))
            .ToArray();

        // People 2k and 2k+1 are married; every fourth couple's two-hop facts are never stated, to test composition.
        int n = Lexicon.PersonFirstNames.Count;
        var lastNames = Spread(rng, n, Lexicon.PersonLastNames.Count);
        People = Enumerable.Range(0, n).Select(i => new Person(
                Lexicon.PersonFirstNames[i], Lexicon.PersonLastNames[lastNames[i]], rng.Chance(0.5), rng.Next(nCities),
                rng.Next(Lexicon.Years.Count), rng.Next(nCities), rng.Next(Lexicon.Occupations.Count),
                rng.Next(Organisations.Count), i ^ 1, (i / 2) % 4 != 0))
            .ToArray();
    }

    /// <summary>n values in [0, k) that use every value (n ≥ k), in a seeded order.</summary>
    private static List<int> Spread(WorldRandom rng, int n, int k)
    {
        var values = Enumerable.Range(0, n).Select(i => i % k).ToList();
        rng.Shuffle(values);
        return values;
    }

    /// <summary>The facts a person document can state: relation, object text. Two-hop facts only where stated.</summary>
    public IEnumerable<(Relation Relation, string Object)> FactsOf(Person p, bool twoHop)
    {
        var spouse = People[p.Spouse];
        yield return (Templates.BornIn, Cities[p.BornIn].Name);
        yield return (Templates.BirthYear, Lexicon.Years[p.BirthYear]);
        yield return (Templates.LivesIn, Cities[p.LivesIn].Name);
        yield return (Templates.Occupation, Lexicon.Occupations[p.Occupation]);
        yield return (Templates.Employer, Organisations[p.Employer].Name);
        yield return (Templates.Spouse, spouse.FullName);
        if (!twoHop) yield break;
        yield return (Templates.SpouseBornIn, Cities[spouse.BornIn].Name);
        yield return (Templates.SpouseEmployer, Organisations[spouse.Employer].Name);
        yield return (Templates.BornCountry, Countries[Cities[p.BornIn].Country].Name);
    }

    public IEnumerable<(Relation Relation, string Object)> FactsOf(City c)
    {
        yield return (Templates.CityCountry, Countries[c.Country].Name);
        yield return (Templates.CityFounded, Lexicon.Years[c.Founded]);
        yield return (Templates.CityRiver, Lexicon.Rivers[c.River]);
    }

    public IEnumerable<(Relation Relation, string Object)> FactsOf(Organisation o)
    {
        yield return (Templates.OrgBase, Cities[o.Base].Name);
        yield return (Templates.OrgFounded, Lexicon.Years[o.Founded]);
        yield return (Templates.OrgIndustry, Lexicon.Industries[o.Industry]);
    }

    public IEnumerable<(Relation Relation, string Object)> FactsOf(Country k)
    {
        yield return (Templates.Capital, Cities[k.Capital].Name);
        yield return (Templates.Language, Lexicon.Languages[k.Language]);
    }
}

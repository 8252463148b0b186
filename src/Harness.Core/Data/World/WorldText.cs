using Harness.Data.Knowledge;

namespace Harness.Data.World;

/// <summary>
/// Encyclopedic documents about the background world, and held-out probes of its facts.
/// Document d of a stream seed is a pure function of (seed, d).
/// </summary>
public static class WorldText
{
    /// <summary>
    /// Names the generated text: background documents, knowledge items and their tokenization. Change it whenever any
    /// of them changes, so caches of checkpoints trained on older text are rebuilt.
    /// </summary>
    public const string Version = "2-name-pieces";

    private static BackgroundWorld World => BackgroundWorld.Instance;

    /// <summary>Share of sentences wrapped in a frame ("Records show that …").</summary>
    private const double FrameRate = 0.25;

    public static string Document(long seed, long index)
    {
        var rng = new WorldRandom(seed, index, 0xD0C);
        double kind = rng.NextDouble();
        var sentences = new List<string>();
        if (kind < 0.70) PersonDocument(rng, World.People[rng.Next(World.People.Count)], sentences);
        else if (kind < 0.82) CityDocument(rng, rng.Next(World.Cities.Count), sentences);
        else if (kind < 0.94) OrganisationDocument(rng, World.Organisations[rng.Next(World.Organisations.Count)], sentences);
        else CountryDocument(rng, rng.Next(World.Countries.Count), sentences);
        return string.Join(" ", sentences);
    }

    private static void PersonDocument(WorldRandom rng, Person p, List<string> output)
    {
        var facts = World.FactsOf(p, p.TwoHopStated)
            .Where(f => rng.Chance(Templates.TwoHop.Contains(f.Relation) ? 0.6 : 0.85)).ToList();
        rng.Shuffle(facts);
        if (rng.Chance(0.2)) output.Add($"{p.FullName} {rng.Pick(Templates.Fillers)}");
        foreach (var (relation, obj) in facts) output.Add(Say(rng, relation, p, obj, output.Count == 0));
    }

    private static void CityDocument(WorldRandom rng, int city, List<string> output)
    {
        var c = World.Cities[city];
        var facts = World.FactsOf(c).Where(_ => rng.Chance(0.9)).ToList();
        rng.Shuffle(facts);
        foreach (var (relation, obj) in facts) output.Add(Say(rng, relation, c.Name, obj));
        // Mentions of people born here restate person facts from the other side.
        var natives = World.People.Where(q => q.BornIn == city).ToList();
        for (int i = 0; i < Math.Min(2, natives.Count); i++)
            output.Add(Say(rng, Templates.BornIn, rng.Pick(natives).FullName, c.Name));
    }

    private static void OrganisationDocument(WorldRandom rng, Organisation o, List<string> output)
    {
        var facts = World.FactsOf(o).Where(_ => rng.Chance(0.9)).ToList();
        rng.Shuffle(facts);
        foreach (var (relation, obj) in facts) output.Add(Say(rng, relation, o.Name, obj));
        var staff = World.People.Where(q => World.Organisations[q.Employer] == o).ToList();
        for (int i = 0; i < Math.Min(2, staff.Count); i++)
            output.Add(Say(rng, Templates.Employer, rng.Pick(staff).FullName, o.Name));
    }

    private static void CountryDocument(WorldRandom rng, int country, List<string> output)
    {
        var k = World.Countries[country];
        foreach (var (relation, obj) in World.FactsOf(k)) output.Add(Say(rng, relation, k.Name, obj));
        var cities = World.Cities.Where(c => c.Country == country).ToList();
        rng.Shuffle(cities);
        foreach (var c in cities.Take(3)) output.Add(Say(rng, Templates.CityCountry, c.Name, k.Name));
    }

    /// <summary>A person sentence: the first names the person in full; later ones may use the first name or a pronoun.</summary>
    private static string Say(WorldRandom rng, Relation r, Person p, string obj, bool first)
    {
        string form = r.Forms[rng.Next(r.Forms.Count)];
        double mention = rng.NextDouble();
        if (!first && mention < 0.2 && form.StartsWith("{s}", StringComparison.Ordinal))
        {
            var sentence = form.StartsWith("{s}'s", StringComparison.Ordinal)
                ? (p.Female ? "Her" : "His") + form[5..]
                : (p.Female ? "She" : "He") + form[3..];
            return Frame(rng, r, sentence.Replace("{o}", obj), true);
        }
        string subject = !first && mention < 0.5 ? p.First : p.FullName;
        return Frame(rng, r, form.Replace("{s}", subject).Replace("{o}", obj), !form.StartsWith('{'));
    }

    private static string Say(WorldRandom rng, Relation r, string subject, string obj)
    {
        string form = r.Forms[rng.Next(r.Forms.Count)];
        return Frame(rng, r, form.Replace("{s}", subject).Replace("{o}", obj), !form.StartsWith('{'));
    }

    private static string Frame(WorldRandom rng, Relation r, string sentence, bool firstWordIsTemplate)
    {
        if (!rng.Chance(FrameRate)) return sentence;
        int heldOut = Templates.HeldOutFrame(r), f;
        do f = rng.Next(Templates.Frames.Count); while (f == heldOut);
        return Templates.Framed(Templates.Frames[f], sentence, firstWordIsTemplate);
    }

    /// <summary>
    /// Cloze probes of background facts, in a fixed order. Each wraps a cloze form in the one frame the stream never
    /// uses with that relation, so the sentences are held out while the facts are not.
    /// </summary>
    public static IReadOnlyList<ProbeText> BackgroundFactProbes(int count)
    {
        var facts = new List<(Relation Relation, string Subject, string Object)>();
        foreach (var p in World.People) facts.AddRange(World.FactsOf(p, twoHop: false).Select(f => (f.Relation, p.FullName, f.Object)));
        foreach (var c in World.Cities) facts.AddRange(World.FactsOf(c).Select(f => (f.Relation, c.Name, f.Object)));
        foreach (var o in World.Organisations) facts.AddRange(World.FactsOf(o).Select(f => (f.Relation, o.Name, f.Object)));
        foreach (var k in World.Countries) facts.AddRange(World.FactsOf(k).Select(f => (f.Relation, k.Name, f.Object)));
        return Probes(facts, count, 0xFAC7, framed: true);
    }

    /// <summary>
    /// Two-hop probes for the couples whose two-hop facts the stream never states: answering them needs composition of
    /// two one-hop facts the stream does state.
    /// </summary>
    public static IReadOnlyList<ProbeText> BackgroundCompositionProbes(int count)
    {
        var facts = World.People.Where(p => !p.TwoHopStated)
            .SelectMany(p => World.FactsOf(p, twoHop: true).Where(f => Templates.TwoHop.Contains(f.Relation))
                .Select(f => (f.Relation, p.FullName, f.Object)))
            .ToList();
        return Probes(facts, count, 0xC0B0, framed: false);
    }

    private static IReadOnlyList<ProbeText> Probes(List<(Relation Relation, string Subject, string Object)> facts, int count,
        long salt, bool framed)
    {
        var rng = new WorldRandom(salt);
        rng.Shuffle(facts);
        return facts.Take(count).Select(f =>
        {
            string form = rng.Pick(f.Relation.ClozeForms);
            string cloze = Relation.Cloze(form, f.Subject);
            if (framed) cloze = Templates.Framed(Templates.Frames[Templates.HeldOutFrame(f.Relation)], cloze, !form.StartsWith('{'));
            return new ProbeText(cloze, f.Object);
        }).ToArray();
    }
}

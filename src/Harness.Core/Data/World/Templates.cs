using System.Text.RegularExpressions;

namespace Harness.Data.World;

/// <summary>
/// One relation and the sentence forms that state it. <c>{s}</c> is the subject, <c>{o}</c> the object; forms that end
/// with <c>{o}.</c> can be cut into a cloze whose target is the object.
/// </summary>
public sealed record Relation(string Name, IReadOnlyList<string> Forms)
{
    public IReadOnlyList<string> ClozeForms { get; } = Forms.Where(f => f.EndsWith("{o}.")).ToArray();

    public string State(int form, string subject, string obj) => Forms[form].Replace("{s}", subject).Replace("{o}", obj);

    /// <summary>The cloze input of a target-final form: the sentence up to (not including) the object.</summary>
    public static string Cloze(string form, string subject) =>
        form[..form.IndexOf("{o}", StringComparison.Ordinal)].Replace("{s}", subject).TrimEnd();
}

/// <summary>Every relation of the world and the sentence frames that vary their surface form.</summary>
public static class Templates
{
    public static readonly Relation BornIn = new("born_in",
    [
        "{s} was born in {o}.", "{s} was born in the city of {o}.", "The birthplace of {s} is {o}.",
        "{s}'s birthplace is {o}.", "{s} came into the world in {o}.", "{o} is the city where {s} was born.",
        "It was in {o} that {s} was born.",
    ]);

    public static readonly Relation BirthYear = new("birth_year",
    [
        "{s} was born in the year {o}.", "The birth year of {s} is {o}.", "{s}'s year of birth is {o}.",
        "{o} is the year in which {s} was born.",
    ]);

    public static readonly Relation LivesIn = new("lives_in",
    [
        "{s} lives in {o}.", "{s} has a home in {o}.", "The home of {s} is in {o}.", "{s}'s home city is {o}.",
        "{o} is where {s} lives.",
    ]);

    public static readonly Relation Occupation = new("occupation",
    [
        "{s} works as a {o}.", "{s} is a {o} by trade.", "The trade of {s} is that of a {o}.",
        "{s}'s job is that of a {o}.", "By trade, {s} is a {o}.",
    ]);

    public static readonly Relation Employer = new("employer",
    [
        "{s} works for {o}.", "{s} is employed by {o}.", "The employer of {s} is {o}.", "{s}'s employer is {o}.",
        "{o} employs {s}.",
    ]);

    public static readonly Relation Spouse = new("spouse",
    [
        "{s} is married to {o}.", "The spouse of {s} is {o}.", "{s}'s spouse is {o}.", "{s} married {o}.",
        "{o} is the spouse of {s}.",
    ]);

    public static readonly Relation CityCountry = new("city_country",
    [
        "{s} is a city in {o}.", "{s} lies in {o}.", "The city of {s} is located in {o}.",
        "{s} belongs to the country of {o}.", "{o} is the country where {s} lies.",
    ]);

    public static readonly Relation CityFounded = new("city_founded",
    [
        "{s} was founded in the year {o}.", "The city of {s} dates from the year {o}.", "The founding year of {s} is {o}.",
    ]);

    public static readonly Relation CityRiver = new("city_river",
    [
        "{s} lies on the river {o}.", "The river {o} flows through {s}.", "The river of {s} is the {o}.",
    ]);

    public static readonly Relation OrgBase = new("org_base",
    [
        "{s} is based in {o}.", "The headquarters of {s} are in {o}.", "{s} has its headquarters in {o}.",
        "{o} is the home of the company {s}.",
    ]);

    public static readonly Relation OrgFounded = new("org_founded",
    [
        "{s} was founded in the year {o}.", "The company {s} dates from the year {o}.", "The founding year of {s} is {o}.",
    ]);

    public static readonly Relation OrgIndustry = new("org_industry",
    [
        "{s} makes {o}.", "{s} is known for its {o}.", "The company {s} sells {o}.",
    ]);

    public static readonly Relation Capital = new("capital",
    [
        "The capital of {s} is {o}.", "{o} is the capital of {s}.", "{s}'s capital city is {o}.",
        "The capital city of {s} is {o}.",
    ]);

    public static readonly Relation Language = new("language",
    [
        "People in {s} speak {o}.", "The language of {s} is {o}.", "{o} is spoken in {s}.",
    ]);

    // Two-hop statements: each joins two one-hop facts, so composition has examples to learn from.
    public static readonly Relation SpouseBornIn = new("spouse_born_in",
    [
        "The spouse of {s} was born in {o}.", "{s}'s spouse was born in {o}.", "{s} is married to someone born in {o}.",
    ]);

    public static readonly Relation SpouseEmployer = new("spouse_employer",
    [
        "The spouse of {s} works for {o}.", "{s}'s spouse works for {o}.", "{s} is married to someone who works for {o}.",
    ]);

    public static readonly Relation BornCountry = new("born_country",
    [
        "The country where {s} was born is {o}.", "{s} was born in a city in {o}.", "{s} was born in the country of {o}.",
    ]);

    /// <summary>Relations whose facts the background probes test; the index picks each one's held-out frame.</summary>
    public static readonly IReadOnlyList<Relation> OneHop =
    [
        BornIn, BirthYear, LivesIn, Occupation, Employer, Spouse, CityCountry, CityFounded, CityRiver, OrgBase, OrgFounded,
        OrgIndustry, Capital, Language,
    ];

    public static readonly IReadOnlyList<Relation> TwoHop = [SpouseBornIn, SpouseEmployer, BornCountry];

    /// <summary>Openers that wrap a statement; each relation has one opener the stream never uses with it (see HeldOutFrame).</summary>
    public static readonly IReadOnlyList<string> Frames =
        ["It is known that", "Records show that", "In short,", "As many know,", "According to the records,", "We know that"];

    public static readonly IReadOnlyList<string> Pronouns = ["He", "She", "he", "she", "His", "Her", "his", "her"];

    public static readonly IReadOnlyList<string> Fillers =
    [
        "is a person of some note.", "is remembered by many.", "has a long story.", "is often named in the records.",
        "is known in the region.",
    ];

    /// <summary>The frame the stream never combines with this relation; background probes use exactly that pair.</summary>
    public static int HeldOutFrame(Relation r)
    {
        int i = OneHop.ToList().IndexOf(r);
        return i < 0 ? -1 : i % Frames.Count;
    }

    /// <summary>Puts a statement inside a frame, lowercasing a leading template word (names stay capitalised).</summary>
    public static string Framed(string frame, string sentence, bool firstWordIsTemplate) =>
        frame + " " + (firstWordIsTemplate ? char.ToLowerInvariant(sentence[0]) + sentence[1..] : sentence);

    /// <summary>Every word any template, frame or filler can produce, both with and without a capital first letter.</summary>
    public static IEnumerable<string> Words()
    {
        var all = OneHop.Concat(TwoHop).SelectMany(r => r.Forms).Concat(Frames).Concat(Fillers).Concat(Pronouns)
            .Select(f => f.Replace("{s}", " ").Replace("{o}", " "));
        foreach (var text in all)
            foreach (Match m in Regex.Matches(text, "[A-Za-z]+"))
            {
                yield return m.Value;
                yield return char.ToLowerInvariant(m.Value[0]) + m.Value[1..];
                yield return char.ToUpperInvariant(m.Value[0]) + m.Value[1..];
            }
    }
}

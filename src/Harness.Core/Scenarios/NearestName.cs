namespace Harness.Scenarios;

/// <summary>Suggests the closest valid word for a misspelt one (Levenshtein distance).</summary>
public static class NearestName
{
    /// <summary>
    /// The nearest candidate within max(2, half its length) edits. A candidate whose length differs by more than that
    /// is skipped unmeasured, so a megabyte of misspelling costs no more than a word.
    /// </summary>
    public static string? Find(string word, IEnumerable<string> candidates) =>
        candidates.Where(c => Math.Abs(word.Length - c.Length) <= Limit(c))
            .Select(c => (c, d: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.d <= Limit(x.c))
            .OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal)
            .Select(x => x.c).FirstOrDefault();

    static int Limit(string candidate) => Math.Max(2, candidate.Length / 2);

    /// <summary>"did you mean 'x'?" or the list of valid words.</summary>
    public static string Suggest(string word, IReadOnlyCollection<string> candidates) =>
        Find(word, candidates) is { } near
            ? $"did you mean '{near}'? (valid: {string.Join(", ", candidates)})"
            : $"use one of: {string.Join(", ", candidates)}";

    static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

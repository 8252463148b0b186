using System.Text;

namespace Harness.Data.Knowledge;

/// <summary>
/// How depths are written in scenarios, trajectories and tables: the one table of names, indexed by <see cref="Depth"/>.
/// </summary>
public static class DepthNames
{
    public static readonly IReadOnlyList<string> All = ["memorization", "semantic", "composition"];

    private static readonly byte[][] Utf8 = All.Select(Encoding.UTF8.GetBytes).ToArray();

    public static string Name(this Depth d) => All[(int)d];

    public static bool TryParse(string s, out Depth d)
    {
        for (int i = 0; i < All.Count; i++)
            if (All[i] == s) { d = (Depth)i; return true; }
        d = default;
        return false;
    }

    /// <summary>The same for a UTF-8 field, without allocating a string (trajectory readers).</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out Depth d)
    {
        for (int i = 0; i < Utf8.Length; i++)
            if (s.SequenceEqual(Utf8[i])) { d = (Depth)i; return true; }
        d = default;
        return false;
    }

    public static Depth Parse(string s) => TryParse(s, out var d) ? d
        : throw new InputException($"unknown depth '{s}'; the depths are {string.Join(", ", All)}");
}

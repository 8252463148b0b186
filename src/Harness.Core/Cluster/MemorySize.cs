using System.Text.RegularExpressions;

namespace Harness.Cluster;

/// <summary>Memory per array task as <c>sbatch --mem</c> takes it: a whole number with an optional K, M, G or T (default M); 0 asks for all of a node's memory.</summary>
public static partial class MemorySize
{
    [GeneratedRegex("^[0-9]+[KMGTkmgt]?$")]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="text"/> is a size Slurm takes, else what is wrong with it.</summary>
    public static string? Problem(string text) =>
        Pattern().IsMatch(text) ? null : $"'{text}' is not a Slurm memory size";

    public const string Forms = "a whole number with an optional unit K, M, G or T, such as 16G or 64000M (no unit: megabytes)";
}

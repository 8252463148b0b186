namespace Harness.Cluster;

/// <summary>
/// The rules for what a scenario or a flag may write into an <c>#SBATCH</c> line: values are single words (sbatch
/// cannot take a line break and quotes would end the value), and the options that make the array resumable belong to
/// <c>harness submit</c> alone.
/// </summary>
public static class SbatchOptions
{
    /// <summary>Options that <c>harness submit</c> writes itself: each is part of how cells map to tasks, resume and log.</summary>
    public static readonly IReadOnlyList<string> Managed =
        ["--array", "-a", "--output", "-o", "--error", "-e", "--open-mode", "--requeue", "--no-requeue", "--signal", "--dependency", "-d", "--job-name", "-J", "--parsable", "--wrap"];

    /// <summary>Null when <paramref name="value"/> can stand in an <c>#SBATCH</c> line, else what is wrong with it.</summary>
    public static string? ValueProblem(string value) =>
        value.Length == 0 ? "is empty"
        : value.Any(char.IsWhiteSpace) ? $"'{value}' contains white space"
        : value.IndexOfAny(['"', '\'', '\\', '#']) >= 0 ? $"'{value}' contains a quote, backslash or #"
        : null;

    /// <summary>Null when <paramref name="option"/> is an extra sbatch option this harness may pass on, else what is wrong.</summary>
    public static string? ExtraProblem(string option)
    {
        if (!option.StartsWith('-')) return $"'{option}' is not an sbatch option (it should start with - or --, e.g. --qos=high)";
        if (option.IndexOfAny(['\n', '\r']) >= 0) return $"'{option}' spans more than one line";
        var name = option.Split('=', ' ')[0];
        if (Managed.Contains(name) || (name.Length > 2 && !name.StartsWith("--", StringComparison.Ordinal) && Managed.Contains(name[..2])))
            return $"'{option}' sets {name}, which harness submit writes itself (array, log, requeue, signal, dependency, name)";
        return null;
    }
}

using System.Globalization;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>A mistake in a scenario, pointing at the node: <c>file:line:column: problem. fix: ...</c>.</summary>
public sealed class ScenarioException(SourceMark at, string problem, string fix)
    : InputException($"{at}: {Bounded(problem)}. fix: {Bounded(fix)}")
{
    /// <summary>Most characters of a written value that a message repeats; the rest is elided with its length.</summary>
    public const int MaxEcho = 80;

    /// <summary>Most characters of a problem or a fix, whatever values it repeats (a guard behind <see cref="Echo"/>).</summary>
    public const int MaxPart = 1000;

    public SourceMark At { get; } = at;
    public string Problem { get; } = Bounded(problem);

    /// <summary>A written value as a message repeats it: whole when short, else its start and its length.</summary>
    public static string Echo(string value) =>
        value.Length <= MaxEcho ? value : string.Create(CultureInfo.InvariantCulture, $"{value[..Cut(value, MaxEcho - 30)]}… ({value.Length:N0} characters)");

    static string Bounded(string part)
    {
        if (part.Length <= MaxPart) return part;
        var head = Cut(part, MaxPart / 2);
        var tail = part.Length - Cut(part, part.Length - MaxPart / 4);
        return string.Create(CultureInfo.InvariantCulture, $"{part[..head]} …{part.Length - head - tail:N0} characters… {part[^tail..]}");
    }

    /// <summary>An index at or before <paramref name="at"/> that does not split a surrogate pair.</summary>
    static int Cut(string s, int at) => at > 0 && char.IsHighSurrogate(s[at - 1]) ? at - 1 : at;
}

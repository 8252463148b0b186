using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Cluster;

/// <summary>
/// A Slurm time limit as <c>sbatch --time</c> takes it: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
/// days-hours:minutes, days-hours:minutes:seconds, or UNLIMITED. <see cref="Seconds"/> is null for no limit.
/// </summary>
public sealed partial record TimeLimit(string Text, long? Seconds)
{
    public const string Forms = "minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds "
        + "(e.g. 90, 2:00:00, 1-12:00:00), or UNLIMITED";

    [GeneratedRegex(@"^(?:(?<d>\d+)-(?<h>\d+)(?::(?<m>\d+)(?::(?<s>\d+))?)?|(?<a>\d+)(?::(?<b>\d+)(?::(?<c>\d+))?)?)$")]
    private static partial Regex Pattern();

    /// <summary>The limit, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static TimeLimit? Parse(string text, out string problem)
    {
        problem = "";
        if (text.Equals("UNLIMITED", StringComparison.OrdinalIgnoreCase) || text.Equals("INFINITE", StringComparison.OrdinalIgnoreCase))
            return new TimeLimit(text.ToUpperInvariant(), null);
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            problem = $"'{text}' is not a Slurm time limit";
            return null;
        }
        long Field(string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        long seconds;
        if (m.Groups["d"].Success)
        {
            if (Field("h") > 23 || Field("m") > 59 || Field("s") > 59)
            {
                problem = $"'{text}' has hours above 23 or minutes or seconds above 59";
                return null;
            }
            seconds = ((Field("d") * 24 + Field("h")) * 60 + Field("m")) * 60 + Field("s");
        }
        else if (m.Groups["c"].Success) // hours:minutes:seconds
        {
            if (Field("b") > 59 || Field("c") > 59)
            {
                problem = $"'{text}' has minutes or seconds above 59";
                return null;
            }
            seconds = (Field("a") * 60 + Field("b")) * 60 + Field("c");
        }
        else // minutes or minutes:seconds
        {
            if (Field("b") > 59)
            {
                problem = $"'{text}' has seconds above 59";
                return null;
            }
            seconds = Field("a") * 60 + Field("b");
        }
        if (seconds == 0)
        {
            problem = $"'{text}' is no time at all (Slurm reads 0 as no limit)";
            return null;
        }
        return new TimeLimit(text, seconds);
    }
}

using System.Globalization;

namespace Harness.Scenarios.Yaml;

/// <summary>Typed reading of single YAML values; each failure names the node and the expected form.</summary>
public static class Scalars
{
    public static YScalar Scalar(YNode node, string what) => node as YScalar
        ?? throw new ScenarioException(node.Mark, $"{what} should be a single value, got {node.Describe()}", $"write {what} as a plain value");

    public static int Int(YNode node, string what)
    {
        var s = Scalar(node, what);
        if (s.Plain && int.TryParse(s.Value.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        throw new ScenarioException(node.Mark, $"{what} should be an integer, got {s.Describe()}", $"write a whole number such as 100 (unquoted)");
    }

    public static double Number(YNode node, string what)
    {
        var s = Scalar(node, what);
        if (s.Plain && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        throw new ScenarioException(node.Mark, $"{what} should be a number, got {s.Describe()}", "write a number such as 0.1 or 4.0e-4 (unquoted)");
    }

    public static bool Bool(YNode node, string what)
    {
        var s = Scalar(node, what);
        if (s.Plain && s.Value.ToLowerInvariant() is "true" or "false") return s.Value.Equals("true", StringComparison.OrdinalIgnoreCase);
        throw new ScenarioException(node.Mark, $"{what} should be true or false, got {s.Describe()}", "write true or false");
    }

    public static string Text(YNode node, string what)
    {
        var s = Scalar(node, what);
        if (s.IsNull || s.Value.Length == 0)
            throw new ScenarioException(node.Mark, $"{what} is empty", $"give {what} a value");
        return s.Value;
    }

    public static string Word(YNode node, string what, IReadOnlyCollection<string> allowed)
    {
        var v = Text(node, what);
        return allowed.Contains(v) ? v
            : throw new ScenarioException(node.Mark, $"{what} '{ScenarioException.Echo(v)}' is not one of {string.Join(", ", allowed)}", NearestName.Suggest(v, allowed));
    }

    public static IReadOnlyList<YNode> List(YNode node, string what) => node is YSequence seq ? seq.Items
        : throw new ScenarioException(node.Mark, $"{what} should be a list, got {node.Describe()}", $"write {what} as [a, b, ...]");
}

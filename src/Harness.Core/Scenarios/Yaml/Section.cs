namespace Harness.Scenarios.Yaml;

/// <summary>
/// A mapping read against its <see cref="SyntaxKey"/>: unknown keys are rejected with the nearest valid one, each
/// typed getter checks the value and its minimum, and the position of every key read is kept for later checks.
/// </summary>
public sealed class Section
{
    readonly YMapping? map;
    readonly SyntaxKey syntax;
    readonly IDictionary<string, SourceMark> marks;

    public string Path { get; }
    public SourceMark Mark { get; }

    public Section(YNode? node, SyntaxKey syntax, string path, SourceMark fallback, IDictionary<string, SourceMark> marks)
    {
        this.syntax = syntax;
        this.marks = marks;
        Path = path;
        Mark = node?.Mark ?? fallback;
        if (node is null || node is YScalar { IsNull: true }) return;
        map = node as YMapping ?? throw new ScenarioException(node.Mark,
            $"{Label} should be a mapping of keys, got {node.Describe()}", $"write {Label} as `key: value` lines or {{ key: value }}");
        marks[path] = node.Mark;
        foreach (var e in map.Entries)
        {
            if (syntax.Child(e.Key.Value) is not null) continue;
            var names = syntax.Children.Select(c => c.Name).ToList();
            throw new ScenarioException(e.Key.Mark, $"unknown key '{ScenarioException.Echo(e.Key.Value)}' in {Label}", NearestName.Suggest(e.Key.Value, names));
        }
    }

    string Label => Path.Length == 0 ? "the scenario" : Path;
    string Full(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    SyntaxKey Key(string key) => syntax.Child(key) ?? throw new InvalidOperationException($"reader asks for '{Full(key)}', which ScenarioSyntax lacks");

    /// <summary>The value node, or null when absent or written as null (then the default applies).</summary>
    public YNode? Node(string key)
    {
        Key(key);
        var e = map?.Find(key);
        if (e is null || e.Value is YScalar { IsNull: true }) return null;
        marks[Full(key)] = e.Value.Mark;
        return e.Value;
    }

    public SourceMark MarkOf(string key) => marks.TryGetValue(Full(key), out var m) ? m : Mark;

    public Section Sub(string key) => new(Node(key), Key(key), Full(key), Mark, marks);

    /// <summary>A mapping of names to update counts (≥ 1), in written order.</summary>
    public IReadOnlyDictionary<string, int> StepMap(string key)
    {
        if (Node(key) is not { } n) return new Dictionary<string, int>();
        var m = n as YMapping ?? throw new ScenarioException(n.Mark, $"{Full(key)} should map names to steps, got {n.Describe()}", "write it as { early: 1500, late: 3000 }");
        var result = new Dictionary<string, int>();
        foreach (var e in m.Entries)
        {
            var v = Scalars.Int(e.Value, $"{Full(key)}.{e.Key.Value}");
            if (v < 1) throw new ScenarioException(e.Value.Mark, $"{Full(key)}.{e.Key.Value} should be at least 1, got {v}", "name an update after the first");
            result[e.Key.Value] = v;
        }
        return result;
    }

    public int Int(string key, int fallback)
    {
        if (Node(key) is not { } n) return fallback;
        var v = Scalars.Int(n, Full(key));
        CheckMinimum(key, n, v);
        return v;
    }

    public double Number(string key, double fallback)
    {
        if (Node(key) is not { } n) return fallback;
        var v = Scalars.Number(n, Full(key));
        CheckMinimum(key, n, v);
        return v;
    }

    public bool Bool(string key, bool fallback) => Node(key) is { } n ? Scalars.Bool(n, Full(key)) : fallback;

    public string Word(string key, string fallback) => Node(key) is { } n ? Scalars.Word(n, Full(key), Key(key).Values) : fallback;

    public string Text(string key, string fallback) => Node(key) is { } n ? Scalars.Text(n, Full(key)) : fallback;

    void CheckMinimum(string key, YNode n, double v)
    {
        var k = Key(key);
        if (k.Minimum is not { } min) return;
        if (k.ExclusiveMinimum ? v > min : v >= min) return;
        var bound = k.ExclusiveMinimum ? $"greater than {min}" : $"at least {min}";
        throw new ScenarioException(n.Mark, $"{Full(key)} must be {bound}, got {v}", $"set {Full(key)} to a value {bound}");
    }
}

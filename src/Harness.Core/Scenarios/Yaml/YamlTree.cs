namespace Harness.Scenarios.Yaml;

/// <summary>Where a node was written; extends and matrix keep the file of each node, so errors point at the right one.</summary>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A YAML node that remembers its position; immutable so that merges can share subtrees.</summary>
public abstract record YNode(SourceMark Mark)
{
    /// <summary>What the node is, for "expected X, got Y" messages.</summary>
    public abstract string Describe();
}

public sealed record YScalar(SourceMark Mark, string Value, bool Plain) : YNode(Mark)
{
    /// <summary>YAML's null: <c>~</c>, <c>null</c> or nothing, written plain.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
    public override string Describe() => IsNull ? "null" : Plain ? $"'{ScenarioException.Echo(Value)}'" : $"the string \"{ScenarioException.Echo(Value)}\"";
}

public sealed record YSequence(SourceMark Mark, IReadOnlyList<YNode> Items) : YNode(Mark)
{
    public override string Describe() => "a list";
}

public sealed record YEntry(YScalar Key, YNode Value);

public sealed record YMapping(SourceMark Mark, IReadOnlyList<YEntry> Entries) : YNode(Mark)
{
    public override string Describe() => "a mapping";
    public YEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key.Value == key);
}

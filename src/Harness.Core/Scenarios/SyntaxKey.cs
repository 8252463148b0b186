namespace Harness.Scenarios;

/// <summary>How a key's value is written; the parser, the JSON schema and the docs all follow it.</summary>
public enum SyntaxType { Mapping, String, Path, Int, Number, Bool, Enum, EnumList, IntList, StringList, PathList, StepMap, Pair, Items, At, GroupList, Matrix, Expect }

/// <summary>One key of the scenario language: the single description that parser, schema and docs derive from.</summary>
public sealed record SyntaxKey(string Name, SyntaxType Type, string Doc)
{
    /// <summary>Keys of a mapping, of each group (GroupList), or of the <c>{ every, count, start }</c> form (At).</summary>
    public IReadOnlyList<SyntaxKey> Children { get; init; } = [];
    /// <summary>Allowed words for Enum / EnumList, or known <c>builtin:</c> names for Path.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
    public double? Minimum { get; init; }
    public bool ExclusiveMinimum { get; init; }
    /// <summary>A valid non-default value in YAML flow syntax: the schema/parser agreement test sets each key to it.</summary>
    public string? Sample { get; init; }
    /// <summary>Must be written (not null) wherever its mapping is; every other key may be <c>~</c> for its default.</summary>
    public bool Required { get; init; }

    public SyntaxKey? Child(string name) => Children.FirstOrDefault(c => c.Name == name);

    /// <summary>The descendant at a dotted path such as <c>model.architecture.d_model</c>, or null.</summary>
    /// <remarks>Below a <see cref="SyntaxType.GroupList"/> the next part is a group's name (any name; the path to a name is the
    /// list's own key), then that group's keys; below <see cref="SyntaxType.At"/> the keys of the <c>{ every, count, start }</c> form.</remarks>
    public SyntaxKey? At(string dottedPath)
    {
        SyntaxKey? key = this;
        bool named = false;
        foreach (var part in dottedPath.Split('.'))
        {
            if (key is { Type: SyntaxType.GroupList } && !named) { named = true; continue; }
            named = false;
            key = key is { Type: SyntaxType.Mapping or SyntaxType.GroupList or SyntaxType.At } ? key.Child(part) : null;
        }
        return key;
    }

    /// <summary>Every key below this one, also inside group entries and the every/count/start form (for schema and docs checks).</summary>
    public IEnumerable<string> AllKeys(string prefix = "")
    {
        foreach (var c in Children)
        {
            var p = prefix.Length == 0 ? c.Name : $"{prefix}.{c.Name}";
            yield return p;
            foreach (var d in c.AllKeys(p)) yield return d;
        }
    }

    /// <summary>Every dotted path below this key (mappings and leaves), depth first in declaration order.</summary>
    public IEnumerable<(string Path, SyntaxKey Key)> Paths(string prefix = "")
    {
        if (Type != SyntaxType.Mapping) yield break;
        foreach (var c in Children)
        {
            var p = prefix.Length == 0 ? c.Name : $"{prefix}.{c.Name}";
            yield return (p, c);
            foreach (var d in c.Paths(p)) yield return d;
        }
    }
}

using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>One matrix cell of a scenario file: its merged YAML tree, ready for typed reading.</summary>
public sealed record ComposedScenario(string Name, YMapping Tree, IReadOnlyDictionary<string, string> Cell);

/// <summary>
/// Resolves <c>extends</c> (deep merge of mappings; lists and values replace; <c>name</c> is not inherited) and expands
/// <c>matrix</c> into cells: the cartesian product of the axes, first axis outermost, labels in written order.
/// </summary>
public static class ScenarioComposer
{
    public static IReadOnlyList<ComposedScenario> Compose(string path)
    {
        var display = DisplayName(path);
        if (!File.Exists(path))
            throw new ScenarioException(new(display, 1, 1), "scenario file not found", "check the path (it is relative to the current directory)");
        var tree = LoadWithParents(Path.GetFullPath(path), display, []);
        var name = tree.Find("name") is { } n && n.Value is not YScalar { IsNull: true }
            ? Scalars.Text(n.Value, "name")
            : Path.GetFileNameWithoutExtension(path);
        var matrix = tree.Find("matrix");
        var body = Without(tree, "matrix");
        if (matrix is null || matrix.Value is YScalar { IsNull: true }) return [new ComposedScenario(name, body, new Dictionary<string, string>())];

        var cells = new List<(Dictionary<string, string> Labels, YMapping Tree)> { ([], body) };
        foreach (var axis in Axes(matrix.Value))
            cells = cells.SelectMany(c => axis.Labels.Select(l =>
                (new Dictionary<string, string>(c.Labels) { [axis.Name] = l.Label }, l.Overrides.Aggregate(c.Tree, (t, o) => SetPath(t, o.Path, o.Value)))))
                .ToList();
        return cells.Select(c => new ComposedScenario(
            $"{name}[{string.Join(",", c.Labels.Select(kv => $"{kv.Key}={kv.Value}"))}]", c.Tree, c.Labels)).ToList();
    }

    /// <summary>Relative to the current directory when below it, else absolute: short and still openable.</summary>
    public static string DisplayName(string path)
    {
        var full = Path.GetFullPath(path);
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? full : rel;
    }

    static YMapping LoadWithParents(string fullPath, string display, List<string> chain)
    {
        chain.Add(fullPath);
        var node = YamlTreeReader.Read(fullPath, display);
        var tree = node as YMapping ?? throw new ScenarioException(node.Mark,
            $"a scenario is a mapping of keys, got {node.Describe()}", "start with `name: ...` and the sections as keys");
        if (tree.Find("extends") is not { } ext || ext.Value is YScalar { IsNull: true }) return tree;

        var target = Scalars.Text(ext.Value, "extends");
        var parentFull = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fullPath)!, target));
        if (chain.Contains(parentFull))
        {
            var cycle = chain.SkipWhile(p => p != parentFull).Append(parentFull).Select(Path.GetFileName);
            throw new ScenarioException(ext.Value.Mark, $"extends cycle: {string.Join(" -> ", cycle)}", "remove one `extends` so that inheritance ends");
        }
        if (!File.Exists(parentFull))
            throw new ScenarioException(ext.Value.Mark, $"extends target '{target}' not found ({parentFull})",
                "give a path relative to this file");
        var parent = LoadWithParents(parentFull, DisplayName(parentFull), chain);
        return Merge(Without(parent, "name"), Without(tree, "extends"));
    }

    /// <summary>Deep merge: mappings merge key by key, anything else in <paramref name="over"/> replaces.</summary>
    public static YMapping Merge(YMapping under, YMapping over)
    {
        var entries = under.Entries.ToList();
        foreach (var e in over.Entries)
        {
            var i = entries.FindIndex(x => x.Key.Value == e.Key.Value);
            if (i < 0) entries.Add(e);
            else entries[i] = entries[i].Value is YMapping a && e.Value is YMapping b ? new YEntry(e.Key, Merge(a, b)) : e;
        }
        return new YMapping(over.Mark, entries);
    }

    static YMapping Without(YMapping m, string key) => new(m.Mark, m.Entries.Where(e => e.Key.Value != key).ToList());

    static YMapping SetPath(YMapping tree, string[] path, YEntry value)
    {
        var i = tree.Entries.ToList().FindIndex(e => e.Key.Value == path[0]);
        var existing = i >= 0 ? tree.Entries[i].Value : null;
        YNode replaced = path.Length > 1
            ? SetPath(existing as YMapping ?? new YMapping(value.Key.Mark, []), path[1..], value)
            : existing is YMapping a && value.Value is YMapping b ? Merge(a, b) : value.Value;
        var entries = tree.Entries.ToList();
        var entry = new YEntry(i >= 0 ? entries[i].Key : new YScalar(value.Key.Mark, path[0], true), replaced);
        if (i >= 0) entries[i] = entry; else entries.Add(entry);
        return new YMapping(tree.Mark, entries);
    }

    sealed record Override(string[] Path, YEntry Value);
    sealed record AxisLabel(string Label, IReadOnlyList<Override> Overrides);
    sealed record Axis(string Name, IReadOnlyList<AxisLabel> Labels);

    /// <summary><c>axis: { label: { key.path: value } }</c>, or <c>key.path: [v1, v2]</c> where each value is its own label.</summary>
    static IEnumerable<Axis> Axes(YNode matrix)
    {
        var map = matrix as YMapping ?? throw new ScenarioException(matrix.Mark, $"matrix should be a mapping of axes, got {matrix.Describe()}",
            "write `matrix: { axis: { label: { key.path: value } } }` or `matrix: { key.path: [v1, v2] }`");
        foreach (var axis in map.Entries)
        {
            var labels = axis.Value switch
            {
                YSequence seq => seq.Items.Select(v => new AxisLabel(Scalars.Text(v, $"matrix.{axis.Key.Value} value"),
                    [new Override(CheckedPath(axis.Key), new YEntry(axis.Key, v))])).ToList(),
                YMapping m => m.Entries.Select(l => new AxisLabel(l.Key.Value, Overrides(l))).ToList(),
                _ => throw new ScenarioException(axis.Value.Mark, $"matrix axis '{axis.Key.Value}' should list values or labels, got {axis.Value.Describe()}",
                    $"write `{axis.Key.Value}: {{ label: {{ key.path: value }} }}` or `key.path: [v1, v2]`"),
            };
            if (labels.Count == 0)
                throw new ScenarioException(axis.Value.Mark, $"matrix axis '{axis.Key.Value}' has no values", "give the axis at least one label");
            yield return new Axis(axis.Key.Value, labels);
        }
    }

    static IReadOnlyList<Override> Overrides(YEntry label) => label.Value switch
    {
        YMapping m => m.Entries.Select(e => new Override(CheckedPath(e.Key), e)).ToList(),
        _ => throw new ScenarioException(label.Value.Mark, $"matrix label '{label.Key.Value}' should map key paths to values, got {label.Value.Describe()}",
            $"write `{label.Key.Value}: {{ model.checkpoint: ... }}`"),
    };

    static string[] CheckedPath(YScalar key)
    {
        if (ScenarioSyntax.IsCluster(key.Value))
            throw new ScenarioException(key.Mark, $"matrix key path '{key.Value}' sets cluster resources, which every cell shares (harness submit runs all cells as one job array)",
                $"set {key.Value} outside the matrix, for every cell, or put cells that need other resources into a scenario file of their own");
        if (ScenarioSyntax.Root.At(key.Value) is not null && !ScenarioSyntax.CompositionKeys.Contains(key.Value)) return key.Value.Split('.');
        var paths = ScenarioSyntax.OverridablePaths().ToList();
        var near = NearestName.Find(key.Value, paths);
        throw new ScenarioException(key.Mark, $"matrix key path '{key.Value}' does not exist",
            near is null ? "name a key path such as data.batch_size or model.checkpoint" : $"did you mean '{near}'?");
    }
}

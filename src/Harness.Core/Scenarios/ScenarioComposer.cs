using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>One matrix cell of a scenario file: its merged YAML tree, ready for typed reading.</summary>
/// <param name="Files">The scenario file and the files it extends, as marks name them, the file itself first: a value
/// from an earlier one overrides a later one's.</param>
public sealed record ComposedScenario(string Name, YMapping Tree, IReadOnlyDictionary<string, string> Cell, IReadOnlyList<string> Files);

/// <summary>
/// Resolves <c>extends</c> (deep merge of mappings; lists and values replace; <c>name</c> is not inherited) and expands
/// <c>matrix</c> into cells: the cartesian product of the axes, first axis outermost, labels in written order.
/// </summary>
public static class ScenarioComposer
{
    /// <param name="overrides">Command-line settings <c>key.path=value</c> (value in YAML), applied to every cell after
    /// <c>extends</c> and <c>matrix</c>, so they win over both; their keys are checked like the file's.</param>
    public static IReadOnlyList<ComposedScenario> Compose(string path, IReadOnlyList<string>? overrides = null)
    {
        var set = (overrides ?? []).Select(ParseOverride).ToList();
        return ComposeFile(path).Select(c => c with { Tree = set.Aggregate(c.Tree, (t, o) => SetPath(t, o.Path, o.Value)) }).ToList();
    }

    /// <summary><c>key.path=value</c> as the entry it sets; the value is read as YAML (a number, a string, a flow list or map).</summary>
    static Override ParseOverride(string text)
    {
        int eq = text.IndexOf('=');
        var display = $"--set {text}";
        if (eq <= 0 || text[..eq].Split('.').Any(string.IsNullOrWhiteSpace))
            throw new ScenarioException(new(display, 1, 1), "a --set needs key.path=value", "write e.g. --set training.steps=30");
        var key = text[..eq].Trim();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $"value: {text[(eq + 1)..]}\n");
            var tree = (YMapping)YamlTreeReader.Read(file, display);
            var entry = tree.Entries.Single();
            return new Override(key.Split('.'), new YEntry(new YScalar(entry.Key.Mark, key, true), entry.Value));
        }
        finally
        {
            File.Delete(file);
        }
    }

    static IReadOnlyList<ComposedScenario> ComposeFile(string path)
    {
        var display = DisplayName(path);
        if (!File.Exists(path))
            throw new ScenarioException(new(display, 1, 1), "scenario file not found", "check the path (it is relative to the current directory)");
        var chain = new List<string>();
        var tree = LoadWithParents(Path.GetFullPath(path), display, chain);
        var files = chain.Select(f => f == Path.GetFullPath(path) ? display : DisplayName(f)).ToList();
        var name = tree.Find("name") is { } n && n.Value is not YScalar { IsNull: true }
            ? Scalars.Text(n.Value, "name")
            : Path.GetFileNameWithoutExtension(path);
        var matrix = tree.Find("matrix");
        var body = Without(tree, "matrix");
        if (matrix is null || matrix.Value is YScalar { IsNull: true }) return [new ComposedScenario(name, body, new Dictionary<string, string>(), files)];

        var axes = Axes(matrix.Value).ToList();
        RejectSharedKeys(axes);
        var cells = new List<(Dictionary<string, string> Labels, YMapping Tree)> { ([], body) };
        foreach (var axis in axes)
            cells = cells.SelectMany(c => axis.Labels.Select(l =>
                (new Dictionary<string, string>(c.Labels) { [axis.Name] = l.Label }, l.Overrides.Aggregate(c.Tree, (t, o) => SetPath(t, o.Path, o.Value)))))
                .ToList();
        return cells.Select(c => new ComposedScenario(
            $"{name}[{string.Join(",", c.Labels.Select(kv => $"{kv.Key}={kv.Value}"))}]", c.Tree, c.Labels, files)).ToList();
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
            ? existing is YSequence named && ScenarioSyntax.Root.At(string.Join('.', value.Key.Value.Split('.')[..^(path.Length - 1)])) is { Type: SyntaxType.GroupList }
                ? SetNamed(named, path[1..], value)
                : SetPath(existing as YMapping ?? new YMapping(value.Key.Mark, []), path[1..], value)
            : existing is YMapping a && value.Value is YMapping b ? Merge(a, b) : value.Value;
        var entries = tree.Entries.ToList();
        var entry = new YEntry(i >= 0 ? entries[i].Key : new YScalar(value.Key.Mark, path[0], true), replaced);
        if (i >= 0) entries[i] = entry; else entries.Add(entry);
        return new YMapping(tree.Mark, entries);
    }

    /// <summary>Sets <paramref name="path"/> inside the list entry whose <c>name</c> is its first part (a group of
    /// <c>injection.groups</c>), which must exist: an override changes a group, it never adds one.</summary>
    static YSequence SetNamed(YSequence list, string[] path, YEntry value)
    {
        static string? NameOf(YNode n) => n is YMapping m && m.Find("name")?.Value is YScalar { IsNull: false } v ? v.Value : null;
        var names = list.Items.Select(NameOf).OfType<string>().ToList();
        var k = list.Items.ToList().FindIndex(n => NameOf(n) == path[0]);
        if (k < 0)
        {
            var near = NearestName.Find(path[0], names);
            throw new ScenarioException(value.Key.Mark, $"'{ScenarioException.Echo(value.Key.Value)}' names group '{ScenarioException.Echo(path[0])}', which the scenario does not have (it has {string.Join(", ", names)})",
                near is null ? "name one of its groups" : $"did you mean '{near}'?");
        }
        var entry = (YMapping)list.Items[k];
        var changed = path.Length > 1
            ? SetPath(entry, path[1..], value)
            : value.Value is YMapping b ? Merge(entry, b) : throw new ScenarioException(value.Value.Mark,
                $"'{ScenarioException.Echo(value.Key.Value)}' sets a whole group to {value.Value.Describe()}", "give a mapping of the group's keys, e.g. { at: [0, 10] }");
        var items = list.Items.ToList();
        items[k] = changed;
        return new YSequence(list.Mark, items);
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
                _ => throw new ScenarioException(axis.Value.Mark, $"matrix axis '{ScenarioException.Echo(axis.Key.Value)}' should list values or labels, got {axis.Value.Describe()}",
                    $"write `{axis.Key.Value}: {{ label: {{ key.path: value }} }}` or `key.path: [v1, v2]`"),
            };
            if (labels.Count == 0)
                throw new ScenarioException(axis.Value.Mark, $"matrix axis '{ScenarioException.Echo(axis.Key.Value)}' has no values", "give the axis at least one label");
            if (axis.Value is YSequence values)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < labels.Count; i++)
                    if (!seen.Add(labels[i].Label))
                        throw new ScenarioException(values.Items[i].Mark, $"matrix axis '{ScenarioException.Echo(axis.Key.Value)}' lists {ScenarioException.Echo(labels[i].Label)} twice, which would make two cells of one name",
                            "list each value once (for repeats of one setting, add an axis such as seed)");
            }
            yield return new Axis(axis.Key.Value, labels);
        }
    }

    /// <summary>
    /// A cell is named by its labels, so no two axes (and no two overrides of one label) may set the same key: the
    /// later would win and the name would lie. Mapping values count as the leaf keys they set.
    /// </summary>
    static void RejectSharedKeys(IReadOnlyList<Axis> axes)
    {
        var owners = new List<(string Path, string Axis)>();
        foreach (var axis in axes)
        {
            var mine = new List<(string Path, string Axis)>();
            foreach (var label in axis.Labels)
            {
                var inLabel = new List<string>();
                foreach (var (path, mark) in label.Overrides.SelectMany(o => Leaves(string.Join('.', o.Path), o.Value.Value, o.Value.Key.Mark)))
                {
                    if (inLabel.FirstOrDefault(p => Overlap(p, path)) is { } twice)
                        throw new ScenarioException(mark, $"matrix label '{ScenarioException.Echo(label.Label)}' sets {path} and {twice}, one inside the other",
                            "set each key once in a label");
                    if (owners.FirstOrDefault(o => Overlap(o.Path, path)) is { Axis: not null } other)
                        throw new ScenarioException(mark, $"matrix axes '{ScenarioException.Echo(other.Axis)}' and '{ScenarioException.Echo(axis.Name)}' both set {(other.Path.Length <= path.Length ? other.Path : path)}, so a cell's name would not say which value it has",
                            "set each key path in one axis only (merge the two axes into one with labels)");
                    inLabel.Add(path);
                    mine.Add((path, axis.Name));
                }
            }
            owners.AddRange(mine);
        }
    }

    static bool Overlap(string a, string b) =>
        a == b || b.StartsWith(a + ".", StringComparison.Ordinal) || a.StartsWith(b + ".", StringComparison.Ordinal);

    /// <summary>The key paths a value sets: itself, or for a mapping (which merges) each key inside it.</summary>
    static IEnumerable<(string Path, SourceMark Mark)> Leaves(string path, YNode value, SourceMark mark) =>
        value is YMapping { Entries.Count: > 0 } m
            ? m.Entries.SelectMany(e => Leaves($"{path}.{e.Key.Value}", e.Value, e.Key.Mark))
            : [(path, mark)];

    static IReadOnlyList<Override> Overrides(YEntry label) => label.Value switch
    {
        YMapping m => m.Entries.Select(e => new Override(CheckedPath(e.Key), e)).ToList(),
        _ => throw new ScenarioException(label.Value.Mark, $"matrix label '{ScenarioException.Echo(label.Key.Value)}' should map key paths to values, got {label.Value.Describe()}",
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
        throw new ScenarioException(key.Mark, $"matrix key path '{ScenarioException.Echo(key.Value)}' does not exist",
            near is null ? "name a key path such as data.batch_size or model.checkpoint" : $"did you mean '{near}'?");
    }
}

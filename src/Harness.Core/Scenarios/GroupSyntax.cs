using System.Globalization;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>Reads one <c>injection.groups</c> entry: item lists with ranges, <c>at</c> as a list or every/count/start.</summary>
public static class GroupSyntax
{
    public static InjectionGroup Read(Section s, YNode node)
    {
        var name = s.Node("name") is { } n ? Scalars.Text(n, $"{s.Path}.name")
            : throw new ScenarioException(node.Mark, $"{s.Path} has no name", "add `name: ...` to the group");
        var itemsNode = s.Node("items") ?? throw new ScenarioException(node.Mark, $"group '{ScenarioException.Echo(name)}' has no items", "add e.g. `items: 0..9`");
        var control = s.Bool("control", false);
        var text = s.Word("text", "original");
        // Explicit variants pair with the steps as written; sorting the steps would re-pair them, so they must ascend.
        var at = s.Node("at") is { } a ? At(a, $"{s.Path}.at", writtenAscending: text == "explicit") : [];
        var variants = s.Node("variants") is { } v
            ? Scalars.List(v, $"{s.Path}.variants").Select(x => NonNegative(x, $"{s.Path}.variants entry")).ToList()
            : [];
        return new InjectionGroup { Name = name, Items = Items(itemsNode, $"{s.Path}.items"), At = at, Text = text, Variants = variants, Control = control };
    }

    /// <summary><c>0..39</c> (inclusive), <c>7</c>, or a list mixing both: <c>[0..9, 20]</c>. Order is kept; repeats are errors.</summary>
    public static IReadOnlyList<int> Items(YNode node, string what)
    {
        var result = new List<int>();
        var seen = new HashSet<int>();
        foreach (var part in node is YSequence seq ? seq.Items : [node])
            foreach (var i in Range(part, what))
                if (seen.Add(i)) result.Add(i);
                else throw new ScenarioException(part.Mark, $"item {i} listed twice in {what}", "list each item once");
        if (result.Count == 0) throw new ScenarioException(node.Mark, $"{what} is empty", "list at least one item, e.g. 0..9");
        return result;
    }

    static IEnumerable<int> Range(YNode part, string what)
    {
        var s = Scalars.Scalar(part, what);
        var bits = s.Value.Split("..");
        if (bits.Length == 2 && int.TryParse(bits[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
            && int.TryParse(bits[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi))
        {
            if (lo > hi) throw new ScenarioException(part.Mark, $"range {s.Value} runs backwards", $"write {hi}..{lo}");
            if (hi - lo >= MaxCount) throw new ScenarioException(part.Mark, $"range {s.Value} holds more than {MaxCount} items", "use a smaller range");
            return Enumerable.Range(lo, hi - lo + 1);
        }
        if (s.Plain && bits.Length == 1) return [NonNegative(part, what)];
        throw new ScenarioException(part.Mark, $"{what} entry {s.Describe()} is neither an index nor a range", "write 5, 0..39 or [0..9, 20]");
    }

    /// <summary>
    /// Encounter steps, ascending: <c>[0, 100]</c> or <c>{ every: 100, count: 10, start: 0 }</c>. With
    /// <paramref name="writtenAscending"/> a list must already be written in ascending order.
    /// </summary>
    public static IReadOnlyList<int> At(YNode node, string what, bool writtenAscending = false)
    {
        if (node is YMapping)
        {
            var s = new Section(node, ScenarioSyntax.Root.At("injection.groups")!.Child("at")!, what, node.Mark, new Dictionary<string, SourceMark>());
            var every = s.Node("every") is null ? throw new ScenarioException(node.Mark, $"{what} has no every", "write { every: 100, count: 10 }") : s.Int("every", 1);
            var count = s.Node("count") is null ? throw new ScenarioException(node.Mark, $"{what} has no count", "write { every: 100, count: 10 }") : s.Int("count", 1);
            var start = s.Int("start", 0);
            if (count > MaxCount || start + (long)(count - 1) * every > int.MaxValue)
                throw new ScenarioException(node.Mark, $"{what} reaches beyond any training run ({count} encounters every {every} steps)", "use fewer or closer encounters");
            return Enumerable.Range(0, count).Select(k => start + k * every).ToList();
        }
        var steps = node is YSequence seq ? seq.Items : [node];
        var result = new List<int>();
        var seen = new HashSet<int>();
        foreach (var step in steps)
        {
            var v = NonNegative(step, $"{what} step");
            if (!seen.Add(v)) throw new ScenarioException(step.Mark, $"step {v} listed twice in {what}", "list each encounter step once");
            if (writtenAscending && result.Count > 0 && v < result[^1])
                throw new ScenarioException(step.Mark, $"step {v} is written after step {result[^1]} in {what}, but text: explicit pairs each variant with the step in the same place",
                    "write the steps in ascending order, and the variants in the same order");
            result.Add(v);
        }
        if (result.Count == 0) throw new ScenarioException(node.Mark, $"{what} is empty", "list at least one step, or use control: true");
        result.Sort();
        return result;
    }

    /// <summary>Keeps validation fast on absurd input: no list of a million items or encounters is built.</summary>
    const int MaxCount = 1_000_000;

    static int NonNegative(YNode n, string what)
    {
        var v = Scalars.Int(n, what);
        return v >= 0 ? v : throw new ScenarioException(n.Mark, $"{what} must not be negative, got {v}", "use 0 or more");
    }
}

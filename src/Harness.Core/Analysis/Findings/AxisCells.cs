namespace Harness.Analysis.Findings;

/// <summary>Two runs that differ only in one axis: <paramref name="Of"/> has the label under test, <paramref name="Other"/> another.</summary>
internal sealed record RunPair(RunMetrics Of, RunMetrics Other, string Rest);

/// <summary>
/// The runs of a matrix seen along one axis: its labels in the order the cells appear, and runs paired with the runs
/// that share every other axis's label (so a second axis, e.g. seeds, gives one pair per value instead of mixing them).
/// </summary>
internal sealed class AxisCells
{
    public string Axis { get; }
    public IReadOnlyList<string> Labels { get; }
    private readonly IReadOnlyList<RunMetrics> runs;

    public AxisCells(string kind, string axis, IReadOnlyList<RunMetrics> runs)
    {
        Axis = axis;
        this.runs = runs;
        var missing = runs.FirstOrDefault(r => !r.Cell.ContainsKey(axis));
        if (runs.Count == 0 || missing is not null)
        {
            var axes = runs.SelectMany(r => r.Cell.Keys).Distinct(StringComparer.Ordinal).ToList();
            throw new FindingParameterException($"{kind}: the runs have no matrix axis '{axis}' " +
                                                (axes.Count > 0 ? $"(axes: {string.Join(", ", axes)})" : "(they come from a scenario without a matrix)"));
        }
        Labels = runs.Select(r => r.Cell[axis]).Distinct(StringComparer.Ordinal).ToList();
        if (Labels.Count < 2) throw new FindingParameterException($"{kind}: axis '{axis}' has one label ({Labels[0]}); a comparison needs two");
    }

    public string Label(string kind, string label) => Labels.Contains(label) ? label
        : throw new FindingParameterException($"{kind}: axis '{Axis}' has no label '{label}' (labels: {string.Join(", ", Labels)})");

    /// <summary>Every (run with <paramref name="of"/>, run with <paramref name="other"/>) that agree on all other axes.</summary>
    public IReadOnlyList<RunPair> Pairs(string of, string other) =>
        (from a in runs.Where(r => r.Cell[Axis] == of)
         from b in runs.Where(r => r.Cell[Axis] == other)
         where Rest(a) == Rest(b)
         select new RunPair(a, b, Rest(a))).ToList();

    private string Rest(RunMetrics r) =>
        string.Join(",", r.Cell.Where(c => c.Key != Axis).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}

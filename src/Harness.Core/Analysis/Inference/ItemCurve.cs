namespace Harness.Analysis.Inference;

/// <summary>
/// R̄(t) broken down by item: at each point t of the curve, each item's sum and count of kept R(q, t) values (the
/// outlier bounds of each t are those of the full sample). Σ over items gives back the curve's own mean at every t.
/// </summary>
public sealed class ItemCurve(int[] t, int items)
{
    /// <summary>The curve's points (t since the last encounter), increasing.</summary>
    public int[] T { get; } = t;
    public int Items { get; } = items;
    /// <summary>Item-major: <c>Sums[item * T.Length + j]</c>.</summary>
    public double[] Sums { get; } = new double[items * t.Length];
    public int[] Counts { get; } = new int[items * t.Length];
}

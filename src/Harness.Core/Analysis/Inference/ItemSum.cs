namespace Harness.Analysis.Inference;

/// <summary>
/// One knowledge item's kept values of a quantity, summed over its probes (and encounters): what the item, the unit of
/// replication, adds to a pooled mean. A pooled mean is Σ sum / Σ count over the items, so a resample that takes an item
/// k times adds its sums k times and never needs the raw rows again.
/// </summary>
public readonly record struct ItemSum(double Sum, int Count)
{
    public ItemSum Add(double value) => new(Sum + value, Count + 1);

    /// <summary>Σ w·sum / Σ w·count over items (weights aligned with <paramref name="sums"/>); NaN when nothing counts.</summary>
    public static double Mean(ReadOnlySpan<ItemSum> sums, ReadOnlySpan<double> weights)
    {
        double s = 0, n = 0;
        for (int i = 0; i < sums.Length; i++)
        {
            double w = weights[i];
            if (w == 0) continue;
            s += w * sums[i].Sum;
            n += w * sums[i].Count;
        }
        return n > 0 ? s / n : double.NaN;
    }
}

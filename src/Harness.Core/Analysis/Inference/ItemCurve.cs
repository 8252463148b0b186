namespace Harness.Analysis.Inference;

/// <summary>
/// R̄(t) broken down by item, as the power-law fit sees it: the fit's points (t in the fit range, binned by 1/n decade
/// when the run bins) and, per item and point, the sum and count of the kept R(q, t) values (the outlier bounds of each
/// t are those of the full sample) and the count-weighted sum of log10 t. Every piece of a point is a sum over items,
/// so a resample rebuilds the fitted points from items × points numbers, not from the curve's every t.
/// </summary>
public sealed class ItemCurve
{
    public int Items { get; }
    public int Points { get; }
    /// <summary>Item-major: <c>Sums[item * Points + j]</c>, and the same layout for <see cref="Counts"/> and <see cref="CountLogT"/>.</summary>
    public double[] Sums { get; }
    public double[] Counts { get; }
    public double[] CountLogT { get; }

    /// <param name="t">The curve's points (t since the last encounter), increasing.</param>
    /// <param name="sums">Per item and t: the sum of kept values (item-major over <paramref name="t"/>).</param>
    /// <param name="counts">Per item and t: how many values were kept.</param>
    public ItemCurve(int[] t, int items, double[] sums, int[] counts, int fitFrom, int fitTo, int binsPerDecade)
    {
        int from = Math.Max(1, fitFrom);
        // Which fitted point each t belongs to (−1: outside the range), as DecayFits bins them.
        var point = new int[t.Length];
        int points = 0, bin = int.MinValue;
        for (int j = 0; j < t.Length; j++)
        {
            point[j] = -1;
            if (t[j] < from || (fitTo != 0 && t[j] > fitTo)) continue;
            int b = binsPerDecade > 0 ? (int)Math.Floor(Math.Log10(t[j]) * binsPerDecade + 1e-9) : j;
            if (b != bin) { points++; bin = b; }
            point[j] = points - 1;
        }
        Items = items;
        Points = points;
        Sums = new double[items * points];
        Counts = new double[items * points];
        CountLogT = new double[items * points];
        for (int item = 0; item < items; item++)
            for (int j = 0; j < t.Length; j++)
            {
                if (point[j] < 0) continue;
                int cell = item * points + point[j], from0 = item * t.Length + j;
                Sums[cell] += sums[from0];
                Counts[cell] += counts[from0];
                CountLogT[cell] += counts[from0] * Math.Log10(t[j]);
            }
    }
}

namespace Harness.Analysis.Inference;

/// <summary>
/// The power law refitted in a resample: R̄(t) rebuilt from the drawn items' sums, binned and fitted exactly as
/// <see cref="DecayFits"/> fits the full sample (same range, bins weighted by the values behind each point, OLS of R̄
/// on log10 t). <paramref name="LastLog10T"/> is where the fitted points end, for judging extrapolation.
/// </summary>
public sealed record CurveFit(double DecayConstant, double Intercept, double LastLog10T)
{
    /// <summary>log10 t where the line reaches R̄ = 0; null when it does not decay (a ≤ 0).</summary>
    public double? XInterceptLog10Steps => DecayConstant > 0 ? Intercept / DecayConstant : null;

    public static CurveFit? Of(ItemCurve c, ReadOnlySpan<double> weights, int fitFrom, int fitTo, int binsPerDecade)
    {
        int from = Math.Max(1, fitFrom);
        int m = c.T.Length;
        var s = new double[m];
        var n = new double[m];
        for (int item = 0; item < c.Items; item++)
        {
            double w = weights[item];
            if (w == 0) continue;
            int o = item * m;
            for (int j = 0; j < m; j++)
            {
                s[j] += w * c.Sums[o + j];
                n[j] += w * c.Counts[o + j];
            }
        }
        // Points (x = log10 t, y = R̄) in the range, binned by 1/binsPerDecade of a decade when asked.
        var xs = new List<double>(m); var ys = new List<double>(m);
        double bx = 0, bs = 0, bn = 0;
        int bin = int.MinValue;
        for (int j = 0; j < m; j++)
        {
            int t = c.T[j];
            if (t < from || (fitTo != 0 && t > fitTo) || n[j] == 0) continue;
            double lx = Math.Log10(t);
            if (binsPerDecade <= 0) { xs.Add(lx); ys.Add(s[j] / n[j]); continue; }
            int b = (int)Math.Floor(lx * binsPerDecade + 1e-9);
            if (b != bin && bn > 0) { xs.Add(bx / bn); ys.Add(bs / bn); bx = bs = bn = 0; }
            bin = b;
            bx += n[j] * lx; bs += s[j]; bn += n[j];
        }
        if (bn > 0) { xs.Add(bx / bn); ys.Add(bs / bn); }
        if (xs.Count < 2) return null;
        double xm = 0, ym = 0;
        for (int i = 0; i < xs.Count; i++) { xm += xs[i]; ym += ys[i]; }
        xm /= xs.Count; ym /= xs.Count;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < xs.Count; i++) { sxx += (xs[i] - xm) * (xs[i] - xm); sxy += (xs[i] - xm) * (ys[i] - ym); }
        if (sxx == 0) return null;
        double slope = sxy / sxx;
        return new CurveFit(-slope, ym - slope * xm, xs[^1]);
    }
}

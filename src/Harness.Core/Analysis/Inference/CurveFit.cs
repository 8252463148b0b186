namespace Harness.Analysis.Inference;

/// <summary>
/// The power law refitted in a resample: the fitted points of R̄(t) rebuilt from the drawn items' sums
/// (<see cref="ItemCurve"/>), each at the count-weighted mean log10 t of its values, and fitted by OLS of R̄ on log10 t
/// exactly as <see cref="DecayFits"/> fits the full sample. <paramref name="LastLog10T"/> is where the fitted points
/// end, for judging extrapolation.
/// </summary>
public sealed record CurveFit(double DecayConstant, double Intercept, double LastLog10T)
{
    /// <summary>log10 t where the line reaches R̄ = 0; null when it does not decay (a ≤ 0).</summary>
    public double? XInterceptLog10Steps => DecayConstant > 0 ? Intercept / DecayConstant : null;

    public static CurveFit? Of(ItemCurve c, ReadOnlySpan<double> weights)
    {
        int m = c.Points;
        Span<double> s = m <= 256 ? stackalloc double[m] : new double[m];
        Span<double> n = m <= 256 ? stackalloc double[m] : new double[m];
        Span<double> nx = m <= 256 ? stackalloc double[m] : new double[m];
        s.Clear(); n.Clear(); nx.Clear();
        for (int item = 0; item < c.Items; item++)
        {
            double w = weights[item];
            if (w == 0) continue;
            int o = item * m;
            for (int j = 0; j < m; j++)
            {
                s[j] += w * c.Sums[o + j];
                n[j] += w * c.Counts[o + j];
                nx[j] += w * c.CountLogT[o + j];
            }
        }
        int k = 0;
        double xm = 0, ym = 0, last = double.NaN;
        for (int j = 0; j < m; j++)
            if (n[j] > 0) { xm += nx[j] / n[j]; ym += s[j] / n[j]; k++; last = nx[j] / n[j]; }
        if (k < 2) return null;
        xm /= k; ym /= k;
        double sxx = 0, sxy = 0;
        for (int j = 0; j < m; j++)
        {
            if (n[j] == 0) continue;
            double dx = nx[j] / n[j] - xm;
            sxx += dx * dx;
            sxy += dx * (s[j] / n[j] - ym);
        }
        if (sxx == 0) return null;
        double slope = sxy / sxx;
        return new CurveFit(-slope, ym - slope * xm, last);
    }
}

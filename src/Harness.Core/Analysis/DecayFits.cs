using MathNet.Numerics;
using MathNet.Numerics.Optimization;

namespace Harness.Analysis;

/// <summary>
/// Fits of R̄(t) over t = from … to: the paper's power law (OLS of R̄ on log10 t, a = −slope, with the slope's standard
/// error, R² and the x-intercept −b/slope), and the two exponentials A·e^(−kt) and A·e^(−kt) + C, each with its RMSE,
/// so "power law or not" is decided on evidence.
/// </summary>
public static class DecayFits
{
    public static RetentionFit Fit(StepCurve curve, int probes, int fitFrom, int fitTo, long tokensPerStep, int binsPerDecade = 0)
    {
        var (t, y) = Points(curve, fitFrom, fitTo, binsPerDecade);
        var fit = new RetentionFit { Probes = probes, FitPoints = t.Count, Curve = curve };
        if (t.Count < 2) return fit;
        var (ut, uy) = binsPerDecade > 0 ? Points(curve, fitFrom, fitTo, 0) : (t, y);

        var x = t.Select(Math.Log10).ToArray();
        var ys = y.ToArray();
        var (b, slope) = MathNet.Numerics.Fit.Line(x, ys);
        int n = x.Length;
        double xm = x.Average(), ym = ys.Average(), sxx = 0, sse = 0, sst = 0;
        for (int i = 0; i < n; i++)
        {
            double r = ys[i] - (b + slope * x[i]);
            sxx += (x[i] - xm) * (x[i] - xm);
            sse += r * r;
            sst += (ys[i] - ym) * (ys[i] - ym);
        }
        if (sxx == 0) return fit;
        double? xi = slope != 0 ? -b / slope : null;
        return fit with
        {
            DecayConstant = -slope,
            Intercept = b,
            DecayConstantSe = n > 2 ? Math.Sqrt(sse / (n - 2) / sxx) : null,
            R2 = sst > 0 ? 1 - sse / sst : null,
            UnbinnedR2 = binsPerDecade > 0 ? R2Of(ut, uy) : (sst > 0 ? 1 - sse / sst : null),
            XInterceptLog10Steps = xi,
            XInterceptLog10Tokens = xi is { } v && tokensPerStep > 0 ? v + Math.Log10(tokensPerStep) : null,
            PowerLawRmse = Math.Sqrt(sse / n),
            Exponential = Exponential(t.ToArray(), ys, offset: false),
            ExponentialOffset = t.Count >= 3 ? Exponential(t.ToArray(), ys, offset: true) : null,
            HeldOut = HeldOut(t, y),
        };
    }

    /// <summary>The points a fit sees: t in [max(1, from), to] (to = 0: no end), binned by 1/n decade when n &gt; 0.</summary>
    private static (List<double> T, List<double> Y) Points(StepCurve curve, int fitFrom, int fitTo, int binsPerDecade)
    {
        int from = Math.Max(1, fitFrom);
        var t = new List<double>(); var y = new List<double>(); var w = new List<int>();
        for (int i = 0; i < curve.X.Length; i++)
            if (curve.X[i] >= from && (fitTo == 0 || curve.X[i] <= fitTo) && !double.IsNaN(curve.Y[i]))
            { t.Add(curve.X[i]); y.Add(curve.Y[i]); w.Add(Math.Max(1, curve.N[i])); }
        return binsPerDecade > 0 ? LogBins(t, y, w, binsPerDecade) : (t, y);
    }

    private static double? R2Of(List<double> t, List<double> y)
    {
        if (t.Count < 3) return null;
        var x = t.Select(Math.Log10).ToArray();
        var (b, slope) = MathNet.Numerics.Fit.Line(x, y.ToArray());
        double ym = y.Average(), sse = 0, sst = 0;
        for (int i = 0; i < x.Length; i++) { sse += Math.Pow(y[i] - (b + slope * x[i]), 2); sst += Math.Pow(y[i] - ym, 2); }
        return sst > 0 ? 1 - sse / sst : null;
    }

    /// <summary>Fit on the points below the middle of the log10 t range, RMSE of each model on the points above it.</summary>
    private static TailPrediction? HeldOut(List<double> t, List<double> y)
    {
        double mid = (Math.Log10(t[0]) + Math.Log10(t[^1])) / 2;
        int split = t.FindIndex(v => Math.Log10(v) > mid);
        if (split < 3 || t.Count - split < 2) return null;
        var (et, ey) = (t.Take(split).ToArray(), y.Take(split).ToArray());
        var (b, slope) = MathNet.Numerics.Fit.Line(et.Select(Math.Log10).ToArray(), ey);
        var (e1, e2) = (Exponential(et, ey, offset: false), Exponential(et, ey, offset: true));
        double pl = 0, x1 = 0, x2 = 0;
        int n = t.Count - split;
        for (int i = split; i < t.Count; i++)
        {
            pl += Math.Pow(y[i] - (b + slope * Math.Log10(t[i])), 2);
            x1 += Math.Pow(y[i] - (e1.A * Math.Exp(-e1.K * t[i]) + e1.C), 2);
            x2 += Math.Pow(y[i] - (e2.A * Math.Exp(-e2.K * t[i]) + e2.C), 2);
        }
        return new TailPrediction(t[split], Math.Sqrt(pl / n), Math.Sqrt(x1 / n), Math.Sqrt(x2 / n));
    }

    /// <summary>
    /// R̄ averaged over bins of 1/n decade of t (weighted by the probes behind each point); each bin sits at the mean
    /// log10 t of its points. Dense and log-spaced evaluation then give the fit the same shape of data.
    /// </summary>
    private static (List<double> T, List<double> Y) LogBins(List<double> t, List<double> y, List<int> w, int perDecade)
    {
        var bt = new List<double>(); var by = new List<double>();
        for (int i = 0; i < t.Count;)
        {
            int bin = (int)Math.Floor(Math.Log10(t[i]) * perDecade + 1e-9);
            double sx = 0, sy = 0, sw = 0;
            for (; i < t.Count && (int)Math.Floor(Math.Log10(t[i]) * perDecade + 1e-9) == bin; i++)
            {
                sx += w[i] * Math.Log10(t[i]); sy += w[i] * y[i]; sw += w[i];
            }
            bt.Add(Math.Pow(10, sx / sw)); by.Add(sy / sw);
        }
        return (bt, by);
    }

    /// <summary>
    /// Least squares by variable projection: for a fixed k the model is linear in A (and C), solved exactly; k is
    /// searched on a log grid and refined by golden section (MathNet). Deterministic, no starting guess to tune.
    /// </summary>
    public static ExponentialFit Exponential(double[] t, double[] y, bool offset)
    {
        double span = t[^1] - t[0] + 1;
        double lo = Math.Log(1e-3 / span), hi = Math.Log(50.0 / Math.Max(1, t[0]));
        double bestLogK = lo, bestSse = double.PositiveInfinity;
        const int grid = 96;
        for (int g = 0; g <= grid; g++)
        {
            double lk = lo + (hi - lo) * g / grid;
            double sse = Solve(t, y, Math.Exp(lk), offset).Sse;
            if (sse < bestSse) (bestSse, bestLogK) = (sse, lk);
        }
        double step = (hi - lo) / grid;
        double a = Math.Max(lo, bestLogK - step), c = Math.Min(hi, bestLogK + step);
        try
        {
            var min = new GoldenSectionMinimizer(1e-7, 100)
                .FindMinimum(ObjectiveFunction.ScalarValue(lk => Solve(t, y, Math.Exp(lk), offset).Sse), a, c);
            if (min.FunctionInfoAtMinimum.Value < bestSse) bestLogK = min.MinimizingPoint;
        }
        catch (OptimizationException) { /* keep the grid's best k */ }
        var s = Solve(t, y, Math.Exp(bestLogK), offset);
        return new ExponentialFit(s.A, Math.Exp(bestLogK), s.C, Math.Sqrt(s.Sse / t.Length));
    }

    private static (double A, double C, double Sse) Solve(double[] t, double[] y, double k, bool offset)
    {
        int n = t.Length;
        double sbb = 0, sby = 0, sb = 0, sy = 0;
        for (int i = 0; i < n; i++)
        {
            double e = Math.Exp(-k * t[i]);
            sbb += e * e; sby += e * y[i]; sb += e; sy += y[i];
        }
        double A, C = 0;
        if (!offset) A = sbb > 0 ? sby / sbb : 0;
        else
        {
            double det = sbb * n - sb * sb;
            if (Math.Abs(det) <= 1e-12 * sbb * n) { A = 0; C = sy / n; }
            else { A = (sby * n - sb * sy) / det; C = (sbb * sy - sb * sby) / det; }
        }
        double sse = 0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i] - (A * Math.Exp(-k * t[i]) + C);
            sse += r * r;
        }
        return (A, C, sse);
    }
}

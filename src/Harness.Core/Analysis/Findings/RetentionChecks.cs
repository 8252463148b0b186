using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingCheck;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>
/// Findings about forgetting, from the fits of R̄(t) on raw ℓ (<c>ell: adjusted</c> for control-adjusted ℓ). Decay
/// constants compare with the OLS slope's SE, SE of a difference = sqrt(se₁² + se₂²), K differences pooled as
/// D = mean, SE = sqrt(Σ se²)/K. Default depths: memorization and semantic; default groups: all injected ones.
/// </summary>
internal static class RetentionChecks
{
    private static readonly Depth[] DefaultDepths = [Depth.Memorization, Depth.Semantic];
    private const string SeNote = "SE of a = the OLS slope's standard error; SE of a difference = sqrt(se₁² + se₂²); pooled D = mean, SE = sqrt(Σ se²)/K";

    /// <summary>Every group × depth of every run: R² ≥ r2_at_least and, with <c>beats</c>, power-law RMSE below that fit's.</summary>
    public static FindingVerdict PowerLawFit(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        double r2 = p.Number("r2_at_least");
        var beats = p.Has("beats") ? p.OneOf("beats", "", "exponential", "exponential_offset") : null;
        var (groups, depths, adjusted) = (p.Groups(runs), p.Depths(DefaultDepths), Adjusted(p));
        var evidence = new List<string>();
        var r2s = new List<double?>();
        int fitting = 0, beating = 0;
        bool holds = true;
        foreach (var run in runs)
            foreach (var g in groups)
                foreach (var d in depths)
                {
                    if (run.RetainabilityOf(g, d) is not { } r) continue;
                    var fit = adjusted ? r.Adjusted : r.Raw;
                    var rival = beats switch { "exponential" => fit?.Exponential, "exponential_offset" => fit?.ExponentialOffset, _ => null };
                    bool fits = fit?.R2 >= r2;
                    bool better = beats is null || (fit?.PowerLawRmse is { } pl && rival is { } x && pl < x.Rmse);
                    holds &= fits && better;
                    r2s.Add(fit?.R2);
                    if (fits) fitting++;
                    if (better) beating++;
                    evidence.Add($"{Label(run)} {g}/{d.Name()}: R² = {F(fit?.R2)} (≥ {F(r2)} {(fits ? "✓" : "✗")}), RMSE power law {F(fit?.PowerLawRmse)}, " +
                                 $"exponential {F(fit?.Exponential?.Rmse)}, exponential + offset {F(fit?.ExponentialOffset?.Rmse)}" +
                                 (beats is null ? "" : $" (power law below {beats} {(better ? "✓" : "✗")})"));
                }
        if (evidence.Count == 0) return FindingVerdict.Undecided("no retainability fit of the chosen groups and depths in any run");
        return new FindingVerdict(holds,
            $"R² of R̄ linear in log10 t ≥ {F(r2)}{(beats is null ? "" : $" and power-law RMSE < {beats} RMSE")} for every injected group × depth of every run ({Ell(adjusted)})", evidence)
        {
            Headline = $"R² {Range(r2s)}, ≥ {F(r2)} in {fitting} of {evidence.Count}" + (beats is null ? "" : $"; below {beats.Replace('_', ' ')} RMSE in {beating} of {evidence.Count}"),
        };
    }

    /// <summary>D = a(group) − a(than) per run × depth, pooled; holds when D − 1.645·SE &gt; 0.</summary>
    public static FindingVerdict ForgetsFaster(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var (group, than, adjusted) = (p.Group("group", runs), p.Group("than", runs), Adjusted(p));
        var evidence = new List<string>();
        var diffs = new List<Difference>();
        foreach (var run in runs)
            foreach (var d in p.Depths(DefaultDepths))
                Add(diffs, evidence, $"{Label(run)} {d.Name()}: a({group}) − a({than})", Fit(run.RetainabilityOf(group, d), adjusted), Fit(run.RetainabilityOf(than, d), adjusted));
        return Decide(diffs, evidence, $"D = a({group}) − a({than}) pooled over runs × depths; holds when D − 1.645·SE > 0 (one-sided 5%); {SeNote} ({Ell(adjusted)})");
    }

    /// <summary>
    /// <c>{ axis, label }</c>: a of the labelled cell below every other cell's, pooled over group × depth; <c>{ depth }</c>:
    /// that depth's a below each other depth's, pooled over groups and runs. Each comparison one-sided at 5%.
    /// </summary>
    public static FindingVerdict DecayLowerFor(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        if (p.Has("depth") == (p.Has("axis") || p.Has("label")))
            throw new FindingParameterException($"{e.Kind} needs either 'axis' and 'label' or 'depth', not {(p.Has("depth") ? "both" : "neither")}");
        var (groups, adjusted) = (p.Groups(runs), Adjusted(p));
        var evidence = new List<string>();
        var comparisons = new List<(string What, List<Difference> Diffs)>();
        if (p.Has("depth"))
        {
            var depth = p.ParseDepth(p.Required("depth"));
            foreach (var other in p.Depths(DefaultDepths).Where(d => d != depth))
            {
                var diffs = new List<Difference>();
                foreach (var run in runs)
                    foreach (var g in groups)
                        Add(diffs, evidence, $"{Label(run)} {g}: a({other.Name()}) − a({depth.Name()})", Fit(run.RetainabilityOf(g, other), adjusted), Fit(run.RetainabilityOf(g, depth), adjusted));
                comparisons.Add(($"{depth.Name()} vs {other.Name()}", diffs));
            }
            if (comparisons.Count == 0) throw new FindingParameterException($"{e.Kind}: 'depths' leaves no other depth to compare {depth.Name()} with");
        }
        else
        {
            var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
            var label = cells.Label(e.Kind, p.Required("label"));
            foreach (var other in cells.Labels.Where(l => l != label))
            {
                var diffs = new List<Difference>();
                foreach (var pair in cells.Pairs(label, other))
                    foreach (var g in groups)
                        foreach (var d in p.Depths(DefaultDepths))
                            Add(diffs, evidence, $"{cells.Axis}: a({other}) − a({label}){(pair.Rest.Length > 0 ? $" [{pair.Rest}]" : "")} {g}/{d.Name()}",
                                Fit(pair.Other.RetainabilityOf(g, d), adjusted), Fit(pair.Of.RetainabilityOf(g, d), adjusted));
                comparisons.Add(($"{cells.Axis}={label} vs {other}", diffs));
            }
        }
        bool holds = true;
        var headline = new List<string>();
        foreach (var (what, diffs) in comparisons)
        {
            if (diffs.Count == 0) return FindingVerdict.Undecided($"nothing to compare for {what}: no decay constant with a standard error on both sides", evidence);
            var pooled = PooledDifference.Of(diffs);
            holds &= pooled.SignificantlyPositive;
            headline.Add($"{what}: {pooled.Headline}");
            evidence.Add($"{what}: {pooled} {(pooled.SignificantlyPositive ? "✓" : "✗")}");
        }
        return new FindingVerdict(holds, $"D = a(other) − a(tested) pooled per comparison; holds when D − 1.645·SE > 0 in every comparison (one-sided 5%); {SeNote} ({Ell(adjusted)})", evidence)
        {
            Headline = string.Join("; ", headline),
        };
    }

    /// <summary>
    /// One-sided sign test (no SE exists for an x-intercept): over every group × depth pair, the labelled cell's
    /// x-intercept is larger in k of K; holds when P(X ≥ k | K, ½) ≤ 0.05 against every other cell.
    /// </summary>
    public static FindingVerdict XInterceptLargerFor(Expectation e, IReadOnlyList<RunMetrics> runs)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        var label = cells.Label(e.Kind, p.Required("label"));
        bool tokens = p.OneOf("unit", "tokens", "tokens", "steps") == "tokens";
        var (groups, depths, adjusted) = (p.Groups(runs), p.Depths(DefaultDepths), Adjusted(p));
        var evidence = new List<string>();
        var headline = new List<string>();
        bool holds = true;
        foreach (var other in cells.Labels.Where(l => l != label))
        {
            int k = 0, total = 0;
            foreach (var pair in cells.Pairs(label, other))
                foreach (var g in groups)
                    foreach (var d in depths)
                    {
                        var (a, b) = (Fit(pair.Of.RetainabilityOf(g, d), adjusted), Fit(pair.Other.RetainabilityOf(g, d), adjusted));
                        if (a is null || b is null) continue;
                        var (xa, xb) = (XIntercept(a, tokens), XIntercept(b, tokens));
                        bool larger = xa is { } va && xb is { } vb && va > vb;
                        total++;
                        if (larger) k++;
                        evidence.Add($"{(pair.Rest.Length > 0 ? $"[{pair.Rest}] " : "")}{g}/{d.Name()}: x-intercept log10 {(tokens ? "tokens" : "steps")} " +
                                     $"{cells.Axis}={label} {F(xa)} vs {other} {F(xb)} {(larger ? "larger ✓" : "not larger ✗")}");
                    }
            if (total == 0) return FindingVerdict.Undecided($"nothing to compare for {cells.Axis}={label} vs {other}: no retainability fit on both sides", evidence);
            double pValue = SignTestP(k, total);
            bool ok = pValue <= 0.05;
            holds &= ok;
            headline.Add($"{label} vs {other}: larger in {k} of {total}, sign test p = {pValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}");
            evidence.Add($"{cells.Axis}={label} vs {other}: larger in k = {k} of K = {total}, p = P(X ≥ k) = {pValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} {(ok ? "✓" : "✗")}" +
                         (total < 5 ? $" (K < 5: even k = K gives p = {SignTestP(total, total):G3} > 0.05, so this design cannot show the finding)" : ""));
        }
        return new FindingVerdict(holds,
            $"one-sided sign test: x-intercept (log10 {(tokens ? "tokens" : "steps")}) of {cells.Axis}={label} larger than the other cell's in k of K group × depth pairs, " +
            $"holds when P(X ≥ k | K, ½) ≤ 0.05 against every other cell; a missing x-intercept (a ≤ 0) counts as not larger ({Ell(adjusted)})", evidence)
        {
            Headline = string.Join("; ", headline),
        };
    }

    private static bool Adjusted(FindingParameters p) => p.OneOf("ell", "raw", "raw", "adjusted") == "adjusted";

    private static string Ell(bool adjusted) => adjusted ? "fits on control-adjusted ℓ" : "fits on raw ℓ";

    private static RetentionFit? Fit(RetainabilityMetrics? r, bool adjusted) => adjusted ? r?.Adjusted : r?.Raw;

    /// <summary>Only a decaying fit (a &gt; 0) reaches R̄ = 0 ahead; otherwise there is no x-intercept to compare.</summary>
    private static double? XIntercept(RetentionFit f, bool tokens) =>
        f.DecayConstant is > 0 ? (tokens ? f.XInterceptLog10Tokens : f.XInterceptLog10Steps) : null;

    /// <summary>D = a(higher) − a(lower) when both decay constants have a standard error; otherwise the skip goes to the evidence.</summary>
    private static void Add(List<Difference> diffs, List<string> evidence, string label, RetentionFit? higher, RetentionFit? lower)
    {
        if (higher is not { DecayConstant: { } ah, DecayConstantSe: { } sh } || lower is not { DecayConstant: { } al, DecayConstantSe: { } sl })
        {
            evidence.Add($"{label}: no decay constant with a standard error on one side, skipped");
            return;
        }
        var d = new Difference(label, ah - al, CombinedSe(sh, sl));
        diffs.Add(d);
        evidence.Add($"{label} = {F(ah)} ± {F(sh)} − {F(al)} ± {F(sl)} → D = {F(d.D)} ± {F(d.Se)}");
    }

    private static FindingVerdict Decide(List<Difference> diffs, List<string> evidence, string statistic)
    {
        if (diffs.Count == 0) return FindingVerdict.Undecided("nothing to compare: no decay constant with a standard error on both sides", evidence);
        var pooled = PooledDifference.Of(diffs);
        evidence.Add($"{pooled} {(pooled.SignificantlyPositive ? "✓" : "✗")}");
        return new FindingVerdict(pooled.SignificantlyPositive, statistic, evidence) { Headline = pooled.Headline };
    }
}

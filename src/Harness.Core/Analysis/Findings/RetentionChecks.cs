using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using Harness.Scenarios;
using static Harness.Analysis.Findings.FindingCheck;
using static Harness.Analysis.Findings.FindingStatistics;

namespace Harness.Analysis.Findings;

/// <summary>
/// Findings about forgetting, from the power law fitted to R̄(t) on raw ℓ. Decay constants and x-intercepts are refitted
/// in every resample of the cluster bootstrap; the OLS slope's standard error describes a fit and decides nothing. A
/// group × depth whose net effectivity is not above 0 in a compared arm is not compared: its R̄ would describe noise.
/// Default depths: memorization and semantic; default groups: all injected ones.
/// </summary>
internal static class RetentionChecks
{
    private static readonly Depth[] DefaultDepths = [Depth.Memorization, Depth.Semantic];
    /// <summary>An x-intercept further than this past the last fitted point (in decades) is an extrapolation and never counted.</summary>
    public const double ExtrapolationDecades = 1.0;

    /// <summary>
    /// Every group × depth of every run: R² of the power law over the unbinned points ≥ <c>r2_at_least</c> and, with
    /// <c>beats</c>, a better prediction of the later half of the range (fitted on the earlier half) than that rival.
    /// </summary>
    public static FindingVerdict PowerLawFit(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        double r2 = p.Number("r2_at_least");
        var beats = p.Has("beats") ? p.OneOf("beats", "", "exponential", "exponential_offset") : null;
        var (groups, depths) = (p.Groups(runs), p.Depths(DefaultDepths));
        var evidence = new List<string>();
        bool holds = true;
        var r2s = new List<double>();
        int predicts = 0, cells = 0;
        foreach (var run in runs)
            foreach (var g in groups)
                foreach (var d in depths)
                {
                    if (run.RetainabilityOf(g, d) is not { } r) continue;
                    var fit = r.Raw;
                    var h = fit.HeldOut;
                    double? rival = beats switch { "exponential" => h?.Exponential, "exponential_offset" => h?.ExponentialOffset, _ => null };
                    bool fits = fit.UnbinnedR2 >= r2;
                    bool better = beats is null || (h is not null && rival is { } x && h.PowerLaw < x);
                    // The opposite claim: the power law fits nowhere (and, with beats, predicts the tail worse everywhere).
                    holds &= sign > 0 ? fits && better : !fits && (beats is null || (h is not null && rival is { } y && h.PowerLaw > y));
                    if (fit.UnbinnedR2 is { } v) r2s.Add(v);
                    cells++;
                    if (beats is not null && better) predicts++;
                    evidence.Add($"{Label(run)} {g}/{d.Name()}: unbinned R² = {F(fit.UnbinnedR2)} (≥ {F(r2)} {(fits ? "✓" : "✗")}; binned {F(fit.R2)}), " +
                                 $"later half predicted from t ≥ {F(h?.FromT)}: RMSE power law {F(h?.PowerLaw)}, exponential {F(h?.Exponential)}, exponential + offset {F(h?.ExponentialOffset)}" +
                                 (beats is null ? "" : $" (power law below {beats} {(better ? "✓" : "✗")})"));
                }
        if (evidence.Count == 0) return FindingVerdict.Undecided("no retainability fit of the chosen groups and depths in any run");
        return new FindingVerdict(holds,
            $"{(sign < 0 ? "opposite: the power law fits no group × depth: " : "")}unbinned R² of R̄ linear in log10 t ≥ {F(r2)}" +
            $"{(beats is null ? "" : $" and a smaller RMSE than {beats} on the later half of the range, each fitted on the earlier half")} for every injected group × depth of every run (raw ℓ)", evidence)
        {
            Headline = (r2s.Count > 0 ? $"unbinned R² {F(r2s.Min())}–{F(r2s.Max())} (threshold {F(r2)})" : "") +
                       (beats is null ? "" : $"; the power law predicts the later half better than {beats} in {predicts} of {cells}"),
        };
    }

    /// <summary>D = a(group) − a(than), averaged over runs × depths inside each replicate; lower bound above 0.</summary>
    public static FindingVerdict ForgetsFaster(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var (faster, than) = (p.Group("group", runs), p.Group("than", runs));
        var depths = p.Depths(DefaultDepths);
        var evidence = new List<string>();
        var acquired = Acquired(runs, [faster, than], depths, evidence);
        var pairs = (from c in Conditions(runs) from d in depths
                     where acquired.Contains((c, faster, d)) && acquired.Contains((c, than, d)) select (c, d)).ToList();
        if (pairs.Count == 0) return FindingVerdict.Undecided($"no depth where both {faster} and {than} have net effectivity above 0", evidence);
        var q = new Quantity($"a({faster}) − a({than})", (r, draw) => sign * MeanOf(
            from x in pairs
            from run in RunsOf(r, x.c)
            select DecayDifference(run, run.Evidence!.Of(faster, x.d), run.Evidence.Of(than, x.d), draw)));
        return AllAbove(Estimate(runs, [q]), $"{faster} forgets faster than {than}: D = a({faster}) − a({than}) averaged over runs × depths", sign)
            .WithEvidenceFirst(evidence);
    }

    /// <summary>
    /// <c>{ axis, label }</c>: a of the labelled cell below every other cell's, averaged over group × depth; <c>{ depth }</c>:
    /// that depth's a below each other depth's, averaged over groups and runs.
    /// </summary>
    public static FindingVerdict DecayLowerFor(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        if (p.Has("depth") == (p.Has("axis") || p.Has("label")))
            throw new FindingParameterException($"{e.Kind} needs either 'axis' and 'label' or 'depth', not {(p.Has("depth") ? "both" : "neither")}");
        var groups = p.Groups(runs);
        var evidence = new List<string>();
        var quantities = new List<Quantity>();
        if (p.Has("depth"))
        {
            var depth = p.ParseDepth(p.Required("depth"));
            var others = p.Depths(DefaultDepths).Where(d => d != depth).ToList();
            if (others.Count == 0) throw new FindingParameterException($"{e.Kind}: 'depths' leaves no other depth to compare {depth.Name()} with");
            var acquired = Acquired(runs, groups, [depth, .. others], evidence);
            foreach (var other in others)
            {
                var cells = (from c in Conditions(runs) from g in groups
                             where acquired.Contains((c, g, depth)) && acquired.Contains((c, g, other)) select (c, g)).ToList();
                if (cells.Count == 0) return FindingVerdict.Undecided($"no group acquired at both {depth.Name()} and {other.Name()}", evidence);
                quantities.Add(new($"a({other.Name()}) − a({depth.Name()})", (r, draw) => sign * MeanOf(
                    from x in cells from run in RunsOf(r, x.c)
                    select DecayDifference(run, run.Evidence!.Of(x.g, other), run.Evidence.Of(x.g, depth), draw))));
            }
        }
        else
        {
            var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
            var label = cells.Label(e.Kind, p.Required("label"));
            var depths = p.Depths(DefaultDepths);
            var acquired = Acquired(runs, groups, depths, evidence);
            foreach (var other in cells.Labels.Where(l => l != label))
            {
                var compared = Compared(runs, cells.Axis, label, other, groups, depths, acquired);
                if (compared.Count == 0) return FindingVerdict.Undecided($"no group × depth acquired in both {cells.Axis}={label} and {other}", evidence);
                quantities.Add(new($"{cells.Axis}: a({other}) − a({label})", (r, draw) => sign * MeanOf(
                    from x in compared
                    let a = RunsOf(r, x.Cell, cells.Axis, other).FirstOrDefault()
                    let b = RunsOf(r, x.Cell, cells.Axis, label).FirstOrDefault()
                    where a is not null && b is not null
                    select Decay(a, x.Group, x.Depth, draw) - Decay(b, x.Group, x.Depth, draw))));
            }
        }
        return AllAbove(Estimate(runs, quantities), "decay constant lower than every compared one (D = a(other) − a(tested))", sign).WithEvidenceFirst(evidence);
    }

    /// <summary>
    /// The labelled cell's x-intercept (log10 steps or tokens) larger than every other cell's: D = x(label) − x(other)
    /// averaged over the group × depth pairs acquired in both arms whose x-intercepts are not extrapolated more than a
    /// decade past the fitted range; a resample where a compared fit does not decay counts against the claim.
    /// </summary>
    public static FindingVerdict XInterceptLargerFor(Expectation e, IReadOnlyList<RunMetrics> runs, double sign)
    {
        var p = new FindingParameters(e);
        var cells = new AxisCells(e.Kind, p.Required("axis"), runs);
        var label = cells.Label(e.Kind, p.Required("label"));
        bool tokens = p.OneOf("unit", "tokens", "tokens", "steps") == "tokens";
        var (groups, depths) = (p.Groups(runs), p.Depths(DefaultDepths));
        var evidence = new List<string>();
        var acquired = Acquired(runs, groups, depths, evidence);
        var quantities = new List<Quantity>();
        foreach (var other in cells.Labels.Where(l => l != label))
        {
            var counted = new List<(string Cell, string Group, Depth Depth)>();
            foreach (var x in Compared(runs, cells.Axis, label, other, groups, depths, acquired))
            {
                var arms = runs.Where(r => Replicate.Condition(r, cells.Axis) == x.Cell && (r.Cell[cells.Axis] == label || r.Cell[cells.Axis] == other)).ToList();
                var fits = arms.Select(r => (Run: r, Fit: r.Evidence!.Of(x.Group, x.Depth)?.Fit(Draw.Full(Replicate.Of([r])[0]), r.Evidence))).ToList();
                var flagged = fits.Where(f => f.Fit?.XInterceptLog10Steps is not { } xi || xi - f.Fit.LastLog10T > ExtrapolationDecades).ToList();
                string where = $"{Named(x.Cell)}{x.Group}/{x.Depth.Name()}";
                if (flagged.Count > 0)
                {
                    evidence.Add($"{where}: not counted, " + string.Join("; ", flagged.Select(f => f.Fit?.XInterceptLog10Steps is { } xi
                        ? $"{Label(f.Run)} x-intercept log10 steps {F(xi)} lies {F(xi - f.Fit.LastLog10T)} decades past the last fitted point {F(f.Fit.LastLog10T)} (extrapolated)"
                        : $"{Label(f.Run)} has no x-intercept (a ≤ 0)")));
                    continue;
                }
                counted.Add(x);
            }
            if (counted.Count == 0) return FindingVerdict.Undecided($"no group × depth of {cells.Axis}={label} vs {other} can be compared", evidence);
            quantities.Add(new($"{cells.Axis}: x({label}) − x({other}), log10 {(tokens ? "tokens" : "steps")}", (r, draw) =>
            {
                var diffs = new List<double>();
                foreach (var x in counted)
                {
                    var (a, b) = (RunsOf(r, x.Cell, cells.Axis, label).FirstOrDefault(), RunsOf(r, x.Cell, cells.Axis, other).FirstOrDefault());
                    if (a is null || b is null) continue;
                    var (xa, xb) = (XIntercept(a, x.Group, x.Depth, draw, tokens), XIntercept(b, x.Group, x.Depth, draw, tokens));
                    if (xa is null || xb is null) return double.NegativeInfinity; // a fit that no longer decays: against the claim, either way
                    diffs.Add(sign * (xa.Value - xb.Value));
                }
                return MeanOf(diffs);
            }));
        }
        return AllAbove(Estimate(runs, quantities), $"x-intercept in log10 {(tokens ? "tokens" : "steps")} of {cells.Axis}={label} larger than every other cell's", sign).WithEvidenceFirst(evidence);
    }

    /// <summary>Group × depth × condition whose net effectivity is above 0 (lower bound), the rest reported.</summary>
    private static HashSet<(string Condition, string Group, Depth Depth)> Acquired(IReadOnlyList<RunMetrics> runs, IReadOnlyList<string> groups, IReadOnlyList<Depth> depths, List<string> evidence)
    {
        var cells = (from c in Conditions(runs) from g in groups from d in depths.Distinct()
                     where runs.Any(r => Replicate.Condition(r) == c && r.Evidence?.Of(g, d) is not null) select (c, g, d)).ToList();
        var est = Estimate(runs, cells.Select(x => new Quantity($"{Named(x.c)}{x.g}/{x.d.Name()} net E",
            (r, draw) => RunsOf(r, x.c).FirstOrDefault()?.Evidence?.Of(x.g, x.d) is { } ge ? ge.NetEffectivity(draw) : double.NaN)).ToList());
        var acquired = new HashSet<(string, string, Depth)>();
        for (int i = 0; i < cells.Count; i++)
            if (est[i].Lower > 0) acquired.Add(cells[i]);
            else evidence.Add($"{est[i]}: not above 0, so its decay is not compared");
        return acquired;
    }

    private static List<(string Cell, string Group, Depth Depth)> Compared(IReadOnlyList<RunMetrics> runs, string axis, string label, string other,
        IReadOnlyList<string> groups, IReadOnlyList<Depth> depths, HashSet<(string, string, Depth)> acquired)
    {
        var result = new List<(string, string, Depth)>();
        foreach (var rest in Conditions(runs, axis))
        {
            string Of(string l) => Replicate.Condition(runs.First(r => Replicate.Condition(r, axis) == rest && r.Cell[axis] == l));
            if (!runs.Any(r => Replicate.Condition(r, axis) == rest && r.Cell[axis] == label) || !runs.Any(r => Replicate.Condition(r, axis) == rest && r.Cell[axis] == other)) continue;
            foreach (var g in groups)
                foreach (var d in depths)
                    if (acquired.Contains((Of(label), g, d)) && acquired.Contains((Of(other), g, d))) result.Add((rest, g, d));
        }
        return result;
    }

    private static double Decay(RunMetrics run, string group, Depth depth, Draw d) =>
        run.Evidence!.Of(group, depth)?.Fit(d, run.Evidence) is { } f ? f.DecayConstant : double.NaN;

    private static double DecayDifference(RunMetrics run, GroupEvidence? a, GroupEvidence? b, Draw d) =>
        a?.Fit(d, run.Evidence!) is { } fa && b?.Fit(d, run.Evidence!) is { } fb ? fa.DecayConstant - fb.DecayConstant : double.NaN;

    private static double? XIntercept(RunMetrics run, string group, Depth depth, Draw d, bool tokens) =>
        run.Evidence!.Of(group, depth)?.Fit(d, run.Evidence)?.XInterceptLog10Steps is { } x
            ? x + (tokens && run.Evidence.TokensPerStep > 0 ? Math.Log10(run.Evidence.TokensPerStep) : 0) : null;
}

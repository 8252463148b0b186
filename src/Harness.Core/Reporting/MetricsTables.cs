using System.Globalization;
using System.Text;
using Harness.Analysis;
using Harness.Data.Knowledge;

namespace Harness.Reporting;

/// <summary>
/// The tables of one run, as markdown (to read) and CSV (to load): effectivity with intervals and net of controls,
/// effectivity per encounter, decay constants ± SE with R², x-intercepts and the three fits' RMSE, and the curves.
/// </summary>
public static class MetricsTables
{
    public static string EffectivityMarkdown(RunMetrics m) => Markdown(
        ["group", "kind", "depth", "E", "95% CI", "n", "control E", "net E", "net 95% CI", "one-step gain", "adjusted E"],
        m.Effectivity.Select(e => new[]
        {
            e.Group, e.Control ? "control" : "injected", e.Depth, F(e.Mean), Ci(e.CiLow, e.CiHigh), e.N.ToString(CultureInfo.InvariantCulture),
            F(e.ControlMean), F(e.NetMean), Ci(e.NetCiLow, e.NetCiHigh), F(e.OneStepGain), F(e.AdjustedMean),
        }));

    public static string EffectivityCsv(RunMetrics m) => Csv(
        ["group", "depth", "control", "mean", "ci_low", "ci_high", "n", "control_mean", "control_n", "net_mean", "net_ci_low", "net_ci_high", "one_step_gain", "one_step_gain_n", "adjusted_mean", "adjusted_n"],
        m.Effectivity.Select(e => new[]
        {
            e.Group, e.Depth, e.Control ? "true" : "false", C(e.Mean), C(e.CiLow), C(e.CiHigh), I(e.N), C(e.ControlMean), I(e.ControlN),
            C(e.NetMean), C(e.NetCiLow), C(e.NetCiHigh), C(e.OneStepGain), I(e.OneStepGainN), C(e.AdjustedMean), I(e.AdjustedN),
        }));

    public static string EncounterCsv(RunMetrics m) => Csv(["group", "depth", "encounter", "mean", "n"],
        m.Effectivity.SelectMany(e => e.PerEncounter.Select(p => new[] { e.Group, e.Depth, I(p.Encounter), C(p.Mean), I(p.N) })));

    public static string EncounterMarkdown(RunMetrics m) => Markdown(["group", "depth", "encounter", "E", "n"],
        m.Effectivity.SelectMany(e => e.PerEncounter.Select(p => new[] { e.Group, e.Depth, I(p.Encounter), F(p.Mean), I(p.N) })));

    public static string RetainabilityMarkdown(RunMetrics m) => Markdown(
        ["group", "depth", "a ± SE", "R²", "x-int log10 steps", "x-int log10 tokens", "RMSE power", "RMSE exp", "RMSE exp+c", "adjusted a ± SE", "adjusted R²", "adjusted x-int log10 tokens"],
        m.Retainability.Select(r => new[]
        {
            r.Group, r.Depth, Pm(r.DecayConstant, r.DecayConstantSe), F(r.R2), F(r.XInterceptLog10Steps), F(r.XInterceptLog10Tokens),
            F(r.PowerLawRmse), F(r.ExponentialRmse), F(r.ExponentialOffsetRmse),
            Pm(r.AdjustedDecayConstant, r.AdjustedDecayConstantSe), F(r.AdjustedR2), F(r.AdjustedXInterceptLog10Tokens),
        }));

    public static string RetainabilityCsv(RunMetrics m) => Csv(
        ["group", "depth", "n_probes", "fit_points", "decay_constant", "decay_constant_se", "r2", "x_intercept_log10_steps", "x_intercept_log10_tokens",
         "power_law_rmse", "exponential_rmse", "exponential_offset_rmse",
         "adjusted_decay_constant", "adjusted_decay_constant_se", "adjusted_r2", "adjusted_x_intercept_log10_steps", "adjusted_x_intercept_log10_tokens",
         "adjusted_power_law_rmse", "adjusted_exponential_rmse", "adjusted_exponential_offset_rmse"],
        m.Retainability.Select(r => new[]
        {
            r.Group, r.Depth, I(r.NProbes), I(r.FitPoints), C(r.DecayConstant), C(r.DecayConstantSe), C(r.R2), C(r.XInterceptLog10Steps), C(r.XInterceptLog10Tokens),
            C(r.PowerLawRmse), C(r.ExponentialRmse), C(r.ExponentialOffsetRmse),
            C(r.AdjustedDecayConstant), C(r.AdjustedDecayConstantSe), C(r.AdjustedR2), C(r.AdjustedXInterceptLog10Steps), C(r.AdjustedXInterceptLog10Tokens),
            C(r.AdjustedPowerLawRmse), C(r.AdjustedExponentialRmse), C(r.AdjustedExponentialOffsetRmse),
        }));

    public static string DeltaCurveCsv(RunMetrics m) => Csv(["group", "depth", "step", "mean_delta_logprob", "n"],
        m.DeltaLogProb.SelectMany(c => c.X.Select((x, i) => new[] { c.Group, c.Depth.Name(), I(x), C(c.Y[i]), I(c.N[i]) })));

    public static string RetentionCurveCsv(RunMetrics m) => Csv(["group", "depth", "ell", "t", "r_mean", "n"],
        m.Retainability.SelectMany(r => Curve(r, "raw", r.Raw.Curve).Concat(Curve(r, "adjusted", r.Adjusted?.Curve))));

    private static IEnumerable<string[]> Curve(RetainabilityMetrics r, string kind, StepCurve? c) =>
        c is null ? [] : c.X.Select((x, i) => new[] { r.Group, r.Depth, kind, I(x), C(c.Y[i]), I(c.N[i]) });

    /// <summary>Writes every table of a run into <paramref name="dir"/> (atomically, file by file).</summary>
    /// <remarks>The tables of a partial run open with a line that says so (a <c>#</c> comment line in the CSVs).</remarks>
    public static void WriteAll(string dir, RunMetrics m)
    {
        void Md(string name, string text) => AtomicFile.WriteText(Path.Combine(dir, name), m.Partial is { } p ? $"> **Partial run**: {p}.\n\n{text}" : text);
        void Table(string name, string text) => AtomicFile.WriteText(Path.Combine(dir, name), m.Partial is { } p ? $"# partial run: {p}\n{text}" : text);
        Md("effectivity.md", EffectivityMarkdown(m));
        Table("effectivity.csv", EffectivityCsv(m));
        Md("effectivity_by_encounter.md", EncounterMarkdown(m));
        Table("effectivity_by_encounter.csv", EncounterCsv(m));
        Md("retainability.md", RetainabilityMarkdown(m));
        Table("retainability.csv", RetainabilityCsv(m));
        Table("delta_logprob.csv", DeltaCurveCsv(m));
        Table("retainability_curve.csv", RetentionCurveCsv(m));
    }

    internal static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "—";
    internal static string C(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.######", CultureInfo.InvariantCulture) : "";
    internal static string I(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string Ci(double? lo, double? hi) => lo is null || hi is null ? "—" : $"[{F(lo)}, {F(hi)}]";
    private static string Pm(double? v, double? se) => v is null ? "—" : se is null ? F(v) : $"{F(v)} ± {F(se)}";

    internal static string Markdown(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        sb.Append('|').AppendJoin("|", header.Select(_ => "---")).Append("|\n");
        foreach (var r in rows) sb.Append("| ").AppendJoin(" | ", r.Select(c => c.Replace("|", "\\|"))).Append(" |\n");
        return sb.ToString();
    }

    internal static string Csv(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(",", header).Append('\n');
        foreach (var r in rows) sb.AppendJoin(",", r.Select(Quote)).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

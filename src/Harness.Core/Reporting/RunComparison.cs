using Harness.Analysis;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// Several runs side by side (stages, batch sizes, model sizes): one table with a row per run × group × depth and one
/// figure of R̄(t) per depth with a line per run × group. Runs are labelled by their matrix cell, else their scenario.
/// </summary>
public static class RunComparison
{
    public static string Label(RunMetrics m) =>
        (m.Cell.Count > 0 ? string.Join(", ", m.Cell.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) : m.Scenario)
        + (m.Partial is null ? "" : " (partial)");

    private static IEnumerable<(string Run, EffectivityMetrics E, RetainabilityMetrics? R)> Rows(IReadOnlyList<RunMetrics> runs) =>
        runs.SelectMany(m => m.Effectivity.Where(e => !e.Control).Select(e => (Label(m), e, m.Retainability.FirstOrDefault(r => r.Group == e.Group && r.Depth == e.Depth))));

    private static readonly string[] Header =
        ["run", "group", "depth", "E", "n", "net E", "one-step gain", "a", "a SE", "R²", "x-int log10 tokens", "adjusted a", "adjusted x-int log10 tokens"];

    public static string Markdown(IReadOnlyList<RunMetrics> runs) => MetricsTables.Markdown(Header,
        Rows(runs).Select(x => new[]
        {
            x.Run, x.E.Group, x.E.Depth, MetricsTables.F(x.E.Mean), MetricsTables.I(x.E.N), MetricsTables.F(x.E.NetMean), MetricsTables.F(x.E.OneStepGain),
            MetricsTables.F(x.R?.DecayConstant), MetricsTables.F(x.R?.DecayConstantSe), MetricsTables.F(x.R?.R2), MetricsTables.F(x.R?.XInterceptLog10Tokens),
            MetricsTables.F(x.R?.AdjustedDecayConstant), MetricsTables.F(x.R?.AdjustedXInterceptLog10Tokens),
        }));

    public static string Csv(IReadOnlyList<RunMetrics> runs) => MetricsTables.Csv(
        ["run", "group", "depth", "mean", "n", "net_mean", "one_step_gain", "decay_constant", "decay_constant_se", "r2", "x_intercept_log10_tokens", "adjusted_decay_constant", "adjusted_x_intercept_log10_tokens"],
        Rows(runs).Select(x => new[]
        {
            x.Run, x.E.Group, x.E.Depth, MetricsTables.C(x.E.Mean), MetricsTables.I(x.E.N), MetricsTables.C(x.E.NetMean), MetricsTables.C(x.E.OneStepGain),
            MetricsTables.C(x.R?.DecayConstant), MetricsTables.C(x.R?.DecayConstantSe), MetricsTables.C(x.R?.R2), MetricsTables.C(x.R?.XInterceptLog10Tokens),
            MetricsTables.C(x.R?.AdjustedDecayConstant), MetricsTables.C(x.R?.AdjustedXInterceptLog10Tokens),
        }));

    /// <summary>Writes report.md, report.csv and one R̄ figure per depth into <paramref name="outDir"/>.</summary>
    public static IReadOnlyList<string> Write(string outDir, IReadOnlyList<RunMetrics> runs)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string> { Path.Combine(outDir, "report.md"), Path.Combine(outDir, "report.csv") };
        AtomicFile.WriteText(written[0], "# Runs side by side\n\n" + Markdown(runs));
        AtomicFile.WriteText(written[1], Csv(runs));
        foreach (var depth in runs.SelectMany(m => m.Retainability.Select(r => r.Depth)).Distinct())
        {
            var plt = new Plot();
            foreach (var m in runs)
                foreach (var r in m.Retainability.Where(r => r.Depth == depth))
                {
                    if (r.Raw.Curve is not { } c) continue;
                    var pts = c.X.Select((t, i) => (t, y: c.Y[i])).Where(p => p.t >= 1 && double.IsFinite(p.y)).ToArray();
                    if (pts.Length == 0) continue;
                    var line = plt.Add.ScatterLine(pts.Select(p => Math.Log10(p.t)).ToArray(), pts.Select(p => p.y).ToArray());
                    line.LegendText = $"{Label(m)} · {r.Group}: a = {MetricsTables.F(r.DecayConstant)}";
                }
            plt.Title($"R̄(t) — {depth}");
            plt.XLabel("log10 t (steps after the last encounter's t_LAM)");
            plt.YLabel("R̄");
            plt.ShowLegend();
            written.Add(MetricsPlots.Save(plt, Path.Combine(outDir, $"report_{MetricsPlots.FileSafe(depth)}.png")));
        }
        return written;
    }
}

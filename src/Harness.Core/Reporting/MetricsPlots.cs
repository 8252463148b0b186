using Harness.Analysis;
using Harness.Data.Knowledge;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// PNG figures of one run: Δℓ per group (a line per depth) with the group's injection steps as vertical lines, and
/// R̄ against log10 t per depth (points per group, the fitted power law as a line, a in the legend).
/// </summary>
public static class MetricsPlots
{
    public const int Width = 900, Height = 540;

    /// <summary>A figure of a run that did not finish says so in its title.</summary>
    internal static string PartialMark(RunMetrics m) => m.Partial is null ? "" : " (PARTIAL RUN)";

    public static IReadOnlyList<string> WriteAll(string dir, RunMetrics m)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var group in m.DeltaLogProb.Select(c => c.Group).Distinct())
        {
            var plt = new Plot();
            if (m.InjectionSteps.TryGetValue(group, out var steps))
                foreach (var s in steps)
                {
                    var line = plt.Add.VerticalLine(s);
                    line.LineWidth = 1;
                    line.Color = Colors.Gray.WithAlpha(0.35);
                }
            foreach (var c in m.DeltaLogProb.Where(c => c.Group == group))
            {
                var (x, y) = Finite(c.X, c.Y);
                var sc = plt.Add.ScatterLine(x, y);
                sc.LegendText = c.Depth.Name();
            }
            // The bundled fonts lack ℓ, so figures spell it out.
            plt.Title($"Δ log p — {group}{PartialMark(m)}");
            plt.XLabel("step");
            plt.YLabel("mean Δ log p of the target (nats)");
            plt.ShowLegend();
            written.Add(Save(plt, Path.Combine(dir, $"delta_logprob_{FileSafe(group)}.png")));
        }
        foreach (var depth in m.Retainability.Select(r => r.Depth).Distinct())
        {
            var plt = new Plot();
            foreach (var r in m.Retainability.Where(r => r.Depth == depth))
            {
                if (r.Raw.Curve is not { } c) continue;
                var pts = c.X.Select((t, i) => (t, y: c.Y[i])).Where(p => p.t >= 1).ToArray();
                if (pts.Length == 0) continue;
                var xs = pts.Select(p => Math.Log10(p.t)).ToArray();
                var dots = plt.Add.ScatterPoints(xs, pts.Select(p => p.y).ToArray());
                dots.MarkerSize = 3;
                if (r.DecayConstant is { } a && r.Raw.Intercept is { } b)
                {
                    var fit = plt.Add.ScatterLine(new[] { xs.Min(), xs.Max() }, new[] { b - a * xs.Min(), b - a * xs.Max() });
                    fit.Color = dots.Color;
                    fit.LegendText = $"{r.Group}: a = {MetricsTables.F(a)} (R² {MetricsTables.F(r.R2)})";
                }
                else dots.LegendText = r.Group;
            }
            plt.Title($"R̄(t) — {depth}{PartialMark(m)}");
            plt.XLabel("log10 t (steps after the last encounter's t_LAM)");
            plt.YLabel("R̄");
            plt.ShowLegend();
            written.Add(Save(plt, Path.Combine(dir, $"retainability_{FileSafe(depth)}.png")));
        }
        return written;
    }

    internal static string Save(Plot plt, string path)
    {
        var bytes = plt.GetImage(Width, Height).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
        return path;
    }

    internal static (double[] X, double[] Y) Finite(int[] x, double[] y)
    {
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(y[i])).ToArray();
        return (keep.Select(i => (double)x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
    }

    /// <summary>ASCII file name for any group name; a name that had to change gets a stable hash so two never collide.</summary>
    internal static string FileSafe(string name)
    {
        var safe = new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());
        if (safe == name) return safe;
        uint h = 2166136261;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name)) h = (h ^ b) * 16777619;
        return $"{safe}-{h:x8}";
    }
}

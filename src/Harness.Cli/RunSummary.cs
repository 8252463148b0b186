using System.Globalization;
using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>What <c>harness run</c> prints when a run is done: where its files are and the headline numbers.</summary>
internal static class RunSummary
{
    /// <summary>runs/&lt;name&gt; by default; one sub-folder per matrix cell.</summary>
    public static string DirectoryFor(Scenario s, string? outRoot, bool matrix)
    {
        var root = outRoot ?? Path.Combine("runs", s.Name.Split('[')[0]);
        return Path.GetFullPath(matrix || s.Cell.Count > 0
            ? Path.Combine(root, s.CellFolder)
            : root);
    }

    public static void Print(RunManifest manifest, RunMetrics metrics, string root)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(manifest.Scenario)}[/]: effectivity and forgetting")
            .AddColumns("group", "depth", "E (95% CI)", "net E", "one-step gain", "decay a ± SE", "R²");
        var decay = metrics.Retainability.ToDictionary(r => (r.Group, r.Depth));
        foreach (var e in metrics.Effectivity.Where(e => !e.Control))
        {
            decay.TryGetValue((e.Group, e.Depth), out var r);
            table.AddRow(new[] { e.Group, e.Depth,
                e.Mean is { } m ? $"{F(m)} [{F(e.CiLow)}, {F(e.CiHigh)}] n={e.N}" : "–",
                F(e.NetMean), F(e.OneStepGain),
                r?.DecayConstant is { } a ? $"{F(a)} ± {F(r.DecayConstantSe)}" : "–",
                F(r?.R2) }.Select(c => new Text(c)).ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[green]done[/] in {manifest.WallSeconds:F0} s ({manifest.Precision}) → {Markup.Escape(root)}");
        if (manifest.Time is { } time) AnsiConsole.MarkupLine($"  {Markup.Escape(TimeSplit(time, manifest.WallSeconds))}");
        AnsiConsole.MarkupLine("  manifest.json, trajectory.csv, training.csv, metrics.json, tables/, plots/");
    }

    /// <summary>"time: train S s (P%), scoring …, io …, other …": seconds of each part and its share of the wall time.</summary>
    public static string TimeSplit(ManifestTime t, double wallSeconds)
    {
        string Part(string name, double seconds) => string.Create(CultureInfo.InvariantCulture,
            $"{name} {seconds:F1} s ({(wallSeconds > 0 ? 100 * seconds / wallSeconds : 0):F0}%)");
        return "time: " + string.Join(", ", Part("train", t.TrainS), Part("scoring", t.ScoringS), Part("io", t.IoS), Part("other", t.OtherS));
    }

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F3", CultureInfo.InvariantCulture) : "–";
}

using System.ComponentModel;
using Harness.Analysis;
using Harness.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness analyze &lt;run-dir&gt;</c>: metrics.json, tables/ and plots/ from manifest.json and the trajectory.</summary>
internal sealed class AnalyzeCommand : Command<AnalyzeCommand.Settings>
{
    public sealed class Settings : RunReadingSettings
    {
        [CommandArgument(0, "<run-dir>")]
        [Description("Run directory holding manifest.json and trajectory.csv or trajectory.parquet")]
        public string RunDir { get; init; } = "";

        [CommandOption("--no-plots")]
        [Description("Skip the PNG figures (metrics.json and tables only)")]
        public bool NoPlots { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var m = RunReport.Write(settings.RunDir, plots: !settings.NoPlots, partial: settings.Partial);
        if (m.Partial is { } why) AnsiConsole.MarkupLine($"[yellow]partial run:[/] {Markup.Escape(why)}");
        var table = new Table().AddColumns("group", "depth", "E", "n", "net E", "a", "R²");
        foreach (var e in m.Effectivity)
        {
            var r = m.Retainability.FirstOrDefault(x => x.Group == e.Group && x.Depth == e.Depth);
            table.AddRow(Markup.Escape(e.Group + (e.Control ? " (control)" : "")), e.Depth, F(e.Mean), e.N.ToString(), F(e.NetMean), F(r?.DecayConstant), F(r?.R2));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.Combine(settings.RunDir, "metrics.json"))}[/], tables/{(settings.NoPlots ? "" : " and plots/")}");
        return 0;
    }

    private static string F(double? v) => v is { } x ? x.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "—";
}

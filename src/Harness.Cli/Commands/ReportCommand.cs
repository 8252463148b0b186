using System.ComponentModel;
using Harness.Analysis;
using Harness.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness report &lt;run-dir&gt;... [--out dir]</c>: several runs side by side in one table and one figure per depth.</summary>
internal sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : RunReadingSettings
    {
        [CommandArgument(0, "<run-dirs>")]
        [Description("Run directories to set side by side")]
        public string[] RunDirs { get; init; } = [];

        [CommandOption("--out <dir>")]
        [Description("Where report.md, report.csv and the figures go (default: report)")]
        public string Out { get; init; } = "report";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var runs = settings.RunDirs.Select(d => RunAnalyzer.Compute(d, settings.Partial)).ToList();
        foreach (var f in RunComparison.Write(settings.Out, runs))
            AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(f)}[/]");
        return 0;
    }
}

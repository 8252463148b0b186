using System.ComponentModel;
using Harness.Analysis;
using Harness.Reporting;
using Harness.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness report &lt;run-dir&gt;... [--out dir]</c>: several runs side by side in one table and one figure per depth.
/// <c>harness report --findings &lt;scenario&gt;... [--runs DIR]... [--out FILE]</c>: the findings table of the scenarios'
/// <c>expect</c> entries, decided on their runs (<see cref="FindingsTable"/>), as Markdown.
/// </summary>
internal sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : RunReadingSettings
    {
        [CommandArgument(0, "<paths>")]
        [Description("Run directories to set side by side; with --findings, scenario files")]
        public string[] Paths { get; init; } = [];

        [CommandOption("--findings")]
        [Description("Print the findings table of the scenarios' expect entries, decided on their runs, as Markdown")]
        public bool Findings { get; init; }

        [CommandOption("--runs <DIR>")]
        [Description("With --findings: where each scenario's run directories are, once per scenario in the same order (as given to harness run --out; default: runs/<scenario name>)")]
        public string[] Runs { get; init; } = [];

        [CommandOption("--out <PATH>")]
        [Description("Where report.md, report.csv and the figures go (default: report); with --findings, the file for the table (default: standard output)")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (!Findings && Runs.Length > 0) return ValidationResult.Error("--runs names the runs of scenarios: give it with --findings");
            if (Findings && Runs.Length > 0 && Runs.Length != Paths.Length)
                return ValidationResult.Error($"--runs is given {Runs.Length} times for {Paths.Length} scenarios: give it once per scenario, in the same order, or not at all");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Findings) return Findings(settings);
        var folder = settings.Out ?? "report";
        OutputFolder.Prepare(folder, "report folder (--out)");
        var runs = settings.Paths.Select(d => RunAnalyzer.Compute(d, settings.Partial)).ToList();
        foreach (var f in RunComparison.Write(folder, runs))
            AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(f)}[/]");
        return 0;
    }

    private static int Findings(Settings settings)
    {
        var scenarios = settings.Paths.Select((file, i) =>
        {
            var cells = ScenarioLoader.Load(file);
            // A scenario without expect entries adds no row, so its runs need not exist.
            var runs = cells[0].Expect.Count == 0 ? []
                : ScenarioRuns.Read(file, cells, settings.Runs.Length > 0 ? settings.Runs[i] : null, settings.Partial);
            return new ScenarioFindings(file, cells[0].Expect, runs);
        }).ToList();
        var table = FindingsTable.Markdown(scenarios);
        if (settings.Out is null)
        {
            // Plain text, not markup: the table goes to a file or a README as it is.
            Console.Out.Write(table);
            return 0;
        }
        AtomicFile.WriteText(settings.Out, table);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(settings.Out)}[/]");
        return 0;
    }
}

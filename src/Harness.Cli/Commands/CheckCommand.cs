using System.ComponentModel;
using Harness.Analysis.Findings;
using Harness.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness check &lt;scenario&gt;</c>: decide the scenario's <c>expect</c> entries on the run directories that
/// <c>harness run</c> wrote for its cells, printing each verdict with its statistic and numbers (exit 1 when one fails).
/// </summary>
internal sealed class CheckCommand : Command<CheckCommand.Settings>
{
    public sealed class Settings : RunReadingSettings
    {
        [CommandArgument(0, "<scenario>")]
        [Description("Scenario YAML file whose expect block to decide")]
        public string Scenario { get; init; } = "";

        [CommandOption("-o|--out <DIR>")]
        [Description("Where its run directories are (as given to harness run --out; default: runs/<scenario name>)")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cells = ScenarioLoader.Load(settings.Scenario);
        if (cells[0].Expect.Count == 0)
        {
            AnsiConsole.MarkupLine($"{Markup.Escape(settings.Scenario)} expects nothing (no expect block)");
            return 0;
        }
        var runs = ScenarioRuns.Read(settings.Scenario, cells, settings.Out, settings.Partial);
        int failed = 0;
        foreach (var e in cells[0].Expect)
        {
            var verdict = FindingCheck.Evaluate(e, runs);
            bool divergence = e.Parameters.TryGetValue("divergence", out var reason);
            string mark = verdict.Holds ? "[green]holds[/]" : divergence ? "[yellow]known divergence[/]" : "[red]fails[/]";
            if (!verdict.Holds && !divergence) failed++;
            AnsiConsole.MarkupLine($"{Markup.Escape(Path.GetFileName(settings.Scenario))}:{e.Line} [bold]{Markup.Escape(e.Kind)}[/]: {mark} — {Markup.Escape(verdict.Statistic)}{(divergence ? Markup.Escape($" ({reason})") : "")}");
            foreach (var line in verdict.Evidence) AnsiConsole.MarkupLine("    " + Markup.Escape(line));
        }
        return failed == 0 ? 0 : 1;
    }
}

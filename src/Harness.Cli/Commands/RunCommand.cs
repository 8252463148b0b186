using Harness.Reporting;
using System.ComponentModel;
using System.Runtime.InteropServices;
using Harness.Analysis;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness run scenario.yaml</c>: train, score, write the run directory, analyse it.</summary>
internal sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<scenario>")]
        [Description("Scenario YAML file")]
        public string Scenario { get; init; } = "";

        [CommandOption("-o|--out <dir>")]
        [Description("Where run directories go (default: runs/<scenario name>)")]
        public string? Out { get; init; }

        [CommandOption("--resume")]
        [Description("Continue a stopped run from its last checkpoint")]
        public bool Resume { get; init; }

        [CommandOption("--cell <label>")]
        [Description("Run only the matrix cells whose name contains this text")]
        public string? Cell { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var loaded = ScenarioLoader.Read(settings.Scenario, deferUnsetVariables: false);
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        var scenarios = loaded.Scenarios.Where(s => settings.Cell == null || s.Name.Contains(settings.Cell, StringComparison.Ordinal)).ToList();
        if (scenarios.Count == 0) throw new InputException($"{settings.Scenario}: no matrix cell matches --cell {settings.Cell}");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });

        foreach (var scenario in scenarios)
        {
            var root = OutputFolder.Prepare(RunSummary.DirectoryFor(scenario, settings.Out, scenarios.Count > 1), "run directory");
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(scenario.Name)}[/] → {Markup.Escape(root)}");
            RunManifest manifest = null!;
            // Resolving may pretrain a built-in checkpoint first (once, then cached): it shows as its own bar.
            ProgressDisplay.Show((log, progress) =>
                manifest = TrainingRun.Execute(RunInputsResolver.Resolve(scenario, log, progress), root, progress, cts.Token, settings.Resume));
            var metrics = RunReport.Write(root);
            RunSummary.Print(manifest, metrics, root);
        }
        return 0;
    }
}

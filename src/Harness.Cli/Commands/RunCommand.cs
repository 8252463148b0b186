using System.ComponentModel;
using Harness.Analysis;
using Harness.Reporting;
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

        [CommandOption("--force")]
        [Description("Replace a run already in the output folder, removing everything it wrote (its checkpoint too)")]
        public bool Force { get; init; }

        [CommandOption("--cell <label>")]
        [Description("Run only the matrix cells whose name contains this text")]
        public string? Cell { get; init; }

        [CommandOption("--set <key=value>")]
        [Description("Override a scenario key in every cell, after extends and matrix (repeatable), e.g. --set training.steps=30; checked like the file's keys.")]
        public string[] Set { get; init; } = [];
    }

    /// <summary>The run is complete before its analysis is written: a failed write says so and how to finish.</summary>
    private static RunMetrics Analyse(string root)
    {
        try
        {
            return RunReport.Write(root);
        }
        catch (IOException e)
        {
            throw new RunStoppedException($"the run is complete, but writing its analysis failed: {e.Message}. Free space, then: harness analyze {root}", e);
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        // A scenario with nothing to log is refused here, before anything trains (a pretraining recipe: harness pretrain).
        var loaded = ScenarioLoader.Read(settings.Scenario, deferUnsetVariables: false, settings.Set, ScenarioUse.Run);
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        var scenarios = loaded.Scenarios.Where(s => settings.Cell == null || s.Name.Contains(settings.Cell, StringComparison.Ordinal)).ToList();
        if (scenarios.Count == 0) throw new InputException($"{settings.Scenario}: no matrix cell matches --cell {settings.Cell}");

        if (settings.Resume && settings.Force) throw new InputException("--resume continues the run in the output folder and --force replaces it: give one of them");

        using var stop = new StopSignals(cancellation);
        var start = settings.Force ? RunStart.Replace : settings.Resume ? RunStart.Resume : RunStart.Fresh;
        foreach (var scenario in scenarios)
        {
            var root = OutputFolder.Prepare(RunSummary.DirectoryFor(scenario, settings.Out, scenarios.Count > 1), "run directory");
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(scenario.Name)}[/] → {Markup.Escape(root)}");
            RunManifest manifest = null!;
            RunClaim? claim = null;
            try
            {
                // Resolving may pretrain a built-in checkpoint first (once, then cached): it shows as its own bar.
                ProgressDisplay.Show((log, progress) =>
                {
                    var inputs = RunInputsResolver.Resolve(scenario, log, progress);
                    claim = TrainingRun.Claim(inputs, root, start);
                    manifest = TrainingRun.Execute(inputs, root, progress, stop.Token, start, claim);
                });
                var metrics = Analyse(root);
                RunSummary.Print(manifest, metrics, root);
            }
            finally
            {
                claim?.Dispose();
            }
        }
        return 0;
    }
}

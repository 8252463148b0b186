using System.ComponentModel;
using Harness.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness validate &lt;file&gt;</c>: every check short of running; a mistake exits 2 with <c>file:line:column</c>.</summary>
internal sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    /// <summary>The scenario file argument; <c>plan</c> extends it.</summary>
    public class Settings : CommandSettings
    {
        [CommandArgument(0, "<file>")]
        [Description("Scenario YAML file.")]
        public string File { get; init; } = "";

        [CommandOption("--set <key=value>")]
        [Description("Override a scenario key in every cell, after extends and matrix (repeatable), e.g. --set training.steps=30; checked like the file's keys.")]
        public string[] Set { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var loaded = ScenarioLoader.Read(settings.File, deferUnsetVariables: true, settings.Set);
        foreach (var note in loaded.Notes) Console.Error.WriteLine($"note: {note}");
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        Console.Out.WriteLine($"ok: {loaded.Scenarios.Count} scenario(s)");
        return 0;
    }
}

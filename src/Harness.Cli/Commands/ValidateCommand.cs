using System.ComponentModel;
using Harness.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness validate &lt;file&gt;</c>: every check short of running; a mistake exits 2 with <c>file:line:column</c>.
/// A file must be a run (something to log) or a pretraining recipe (<c>pretrain.save_at</c> and nothing to log), which
/// it accepts and names the command that builds it: <c>harness run</c> refuses a recipe.
/// </summary>
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
        var loaded = ScenarioLoader.Read(settings.File, deferUnsetVariables: true, settings.Set, ScenarioUse.RunOrRecipe);
        foreach (var note in loaded.Notes) Console.Error.WriteLine($"note: {note}");
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        var recipes = loaded.Scenarios.Count(ScenarioValidator.IsRecipe);
        if (recipes == 0)
        {
            Console.Out.WriteLine($"ok: {loaded.Scenarios.Count} scenario(s)");
            return 0;
        }
        if (recipes < loaded.Scenarios.Count)
            throw new InputException($"{settings.File}: {recipes} of its {loaded.Scenarios.Count} matrix cells are pretraining recipes (no injection groups) and the others runs; "
                                     + "harness run and harness pretrain each take a file of one kind. fix: split the file, or give every cell injection.groups");
        var stages = string.Join(", ", loaded.Scenarios[0].Pretrain!.SaveAt.Select(kv => $"{kv.Key} at update {kv.Value}"));
        Console.Out.WriteLine($"ok: {(recipes == 1 ? "a pretraining recipe" : $"{recipes} pretraining recipes")} (stages {stages}): "
                              + $"build {(recipes == 1 ? "it" : "them")} with harness pretrain {settings.File} --out DIR, then name a stage by path in a scenario's model.checkpoint "
                              + "(harness run refuses a recipe: it has nothing to log)");
        return 0;
    }
}

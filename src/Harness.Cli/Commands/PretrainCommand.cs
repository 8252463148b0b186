using System.ComponentModel;
using Harness.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness pretrain [recipe…]</c>: builds the built-in tiny checkpoints into the cache ahead of the runs that need
/// them (a run builds a missing one itself, but a researcher may want the cache warm first, or the recipes side by side).
/// </summary>
internal sealed class PretrainCommand : Command<PretrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[recipe]")]
        [Description("Recipes to build (pretrain, pretrain-narrow, …); default: every recipe")]
        public string[] Recipes { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var recipes = settings.Recipes.Length > 0 ? settings.Recipes : TinyRecipes.RecipeNames;
        foreach (var recipe in recipes)
        {
            var folder = TinyCheckpointCache.FolderOf(recipe);
            if (!TinyCheckpointCache.Missing().Contains(recipe))
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(recipe)}[/]: cached in {Markup.Escape(folder)}");
                continue;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(recipe)}[/] → {Markup.Escape(folder)}");
            ProgressDisplay.Show((log, progress) => TinyCheckpointCache.EnsureRecipe(recipe, log, progress));
        }
        return 0;
    }
}

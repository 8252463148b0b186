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
        var recipes = settings.Recipes.Length > 0 ? settings.Recipes : TinyCheckpoints.RecipeNames;
        foreach (var recipe in recipes)
        {
            var folder = TinyCheckpoints.CacheFolder(recipe);
            if (!TinyCheckpoints.Missing().Contains(recipe))
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(recipe)}[/]: cached in {Markup.Escape(folder)}");
                continue;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(recipe)}[/] → {Markup.Escape(folder)}");
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    ProgressTask? bar = null;
                    var progress = new SynchronousProgress<RunProgress>(p =>
                    {
                        bar ??= ctx.AddTask(p.Phase, maxValue: p.Total);
                        bar.Value = p.Step;
                        bar.Description = $"{p.Phase} loss {p.Loss:F3}";
                    });
                    var log = new SynchronousProgress<string>(m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"));
                    TinyCheckpoints.EnsureRecipe(recipe, log, progress);
                });
        }
        return 0;
    }
}

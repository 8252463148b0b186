using System.ComponentModel;
using Harness.Runs;
using Harness.Scenarios;
using Harness.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness pretrain [recipe…]</c>: builds the built-in tiny checkpoints into the cache ahead of the runs that need
/// them (a run builds a missing one itself, but a researcher may want the cache warm first, or the recipes side by side).
/// <c>harness pretrain recipe.yaml --out DIR</c>: builds a researcher's own recipe (another width, corpus or seed) into
/// DIR, one checkpoint folder per <c>pretrain.save_at</c> stage, which scenarios name by path; it stops with a
/// checkpoint like a run and <c>--resume</c> continues it.
/// </summary>
internal sealed class PretrainCommand : Command<PretrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[recipe]")]
        [Description("Built-in recipes to build into the cache (pretrain, pretrain-narrow, …; default: every one), or one recipe file (.yaml) to build into --out")]
        public string[] Recipes { get; init; } = [];

        [CommandOption("-o|--out <dir>")]
        [Description("Where a recipe file's build goes: DIR/<stage>/ per pretrain.save_at stage, DIR/training.csv, DIR/recipe.json (required for a file)")]
        public string? Out { get; init; }

        [CommandOption("--resume")]
        [Description("Continue a stopped build of the same recipe from its checkpoint")]
        public bool Resume { get; init; }

        [CommandOption("--force")]
        [Description("Replace a build already in --out, removing everything it wrote (its stages too)")]
        public bool Force { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var files = settings.Recipes.Where(IsFile).ToList();
        if (files.Count > 0) return BuildFile(settings, cancellation);
        if (settings.Out != null || settings.Resume || settings.Force)
            throw new InputException("--out, --resume and --force belong to a recipe file (harness pretrain recipe.yaml --out DIR); "
                                     + $"built-in recipes build into the cache, {TinyCheckpointCache.Root}");
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

    /// <summary>A path, not a built-in recipe's name: names have neither a folder nor an extension.</summary>
    private static bool IsFile(string arg) =>
        arg.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || arg.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || arg.Contains('/') || File.Exists(arg);

    private static int BuildFile(Settings settings, CancellationToken cancellation)
    {
        if (settings.Recipes.Length > 1)
            throw new InputException($"give one recipe file per build (got {string.Join(", ", settings.Recipes)}); built-in recipes build separately: harness pretrain NAME");
        var file = settings.Recipes[0];
        if (settings.Out is null)
            throw new InputException($"{file}: a recipe file builds into a folder you name: harness pretrain {file} --out DIR "
                                     + "(one checkpoint folder per pretrain.save_at stage, DIR/<stage>/, for a scenario's model.checkpoint)");
        if (settings.Resume && settings.Force) throw new InputException("--resume continues the build in --out and --force replaces it: give one of them");
        var recipes = ScenarioLoader.Load(file, use: ScenarioUse.Recipe);
        var start = settings.Force ? RunStart.Replace : settings.Resume ? RunStart.Resume : RunStart.Fresh;
        using var stop = new StopSignals(cancellation);
        foreach (var recipe in recipes)
        {
            var root = OutputFolder.Prepare(RunSummary.DirectoryFor(recipe, settings.Out, recipes.Count > 1), "pretraining build folder");
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(recipe.Name)}[/] → {Markup.Escape(root)}");
            using (RecipeBuild.Claim(recipe, root, start))
                ProgressDisplay.Show((log, progress) => RecipeBuild.Run(recipe, root, log, progress, stop.Token, start == RunStart.Resume));
            var folder = new RecipeFolder(root);
            foreach (var (stage, step) in recipe.Pretrain!.SaveAt)
                AnsiConsole.MarkupLine($"  {Markup.Escape(stage)} (update {CheckpointMetadata.Read(folder.Stage(stage))?.Step ?? step}) → {Markup.Escape(folder.Stage(stage))}");
        }
        AnsiConsole.MarkupLine("[green]done[/]: name a stage in a scenario by its folder, e.g. model.checkpoint: <folder> "
                               + "(a relative path reads from the scenario's folder), with optimizer.state: resume and schedule: resume to continue it");
        return 0;
    }
}

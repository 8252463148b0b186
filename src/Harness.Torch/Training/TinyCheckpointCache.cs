using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Where the tiny recipes' checkpoints live: <c>$HARNESS_CACHE</c> (default <c>~/.cache/harness</c>)/tiny/&lt;recipe&gt;-&lt;hash&gt;,
/// so an edited recipe rebuilds by itself. A file lock lets parallel processes share one build, and a saved stage is
/// handed out while the recipe's later stages still build.
/// </summary>
public static class TinyCheckpointCache
{
    public static string Root =>
        Environment.GetEnvironmentVariable("HARNESS_CACHE") is { Length: > 0 } c ? c
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "harness");

    public static string FolderOf(TinyRecipe r) => Path.Combine(Root, "tiny", $"{r.Name}-{r.Hash}");

    /// <summary>Where a recipe's checkpoints are cached, by recipe name (<c>pretrain</c>, <c>pretrain-narrow</c>, …).</summary>
    public static string FolderOf(string recipe) => FolderOf(TinyRecipes.Named(recipe));

    /// <summary>The recipes whose cache is missing or stale.</summary>
    public static IReadOnlyList<string> Missing() => TinyRecipes.All.Where(r => !Complete(r)).Select(r => r.Name).ToArray();

    /// <summary>Whether a <c>builtin:tiny/…</c> checkpoint is in the cache (its recipe's other stages may still be building); false for any other name.</summary>
    public static bool IsBuilt(string checkpoint)
    {
        var name = TinyRecipes.RecipeOf(checkpoint);
        if (name is null || TinyRecipes.All.FirstOrDefault(r => r.Name == name) is not { } recipe) return false;
        var stage = checkpoint.Split('/')[^1];
        return Saved(recipe, stage);
    }

    /// <summary>Pretrains a recipe's stages unless its cache is complete.</summary>
    public static void EnsureRecipe(string name, IProgress<string>? log = null, IProgress<RunProgress>? progress = null)
    {
        var recipe = TinyRecipes.Named(name);
        Ensure(recipe.CheckpointName(recipe.Stages[0]), log, progress);
    }

    /// <summary>The folder of a stage's checkpoint, pretraining all of the recipe's stages first if they are missing or stale.</summary>
    public static string Ensure(string checkpoint, IProgress<string>? log = null, IProgress<RunProgress>? progress = null)
    {
        var (recipe, stage) = TinyRecipes.Stage(checkpoint);
        var root = FolderOf(recipe);
        var folder = Path.Combine(root, stage);
        // A stage that a build under way has saved is final (saved under a temporary name, then renamed): a run on the
        // early stage need not wait for the late one.
        if (Complete(recipe) || Saved(recipe, stage)) return folder;

        Directory.CreateDirectory(root);
        // Processes may ask at once: one pretrains, the others wait on the lock and then find the cache complete.
        using var gate = Lock(Path.Combine(root, ".lock"));
        if (Complete(recipe)) return folder;
        log?.Report($"pretraining {recipe.Name} from scratch (cache miss: {root}); this happens once per recipe");
        var recipePath = Path.Combine(root, recipe.Name + ".yaml");
        File.WriteAllBytes(recipePath, recipe.Content);
        RecipeBuild.Run(ScenarioLoader.Load(recipePath, use: ScenarioUse.Recipe).Single(), root, log, progress);
        return folder;
    }

    private static bool Complete(TinyRecipe recipe) => recipe.Stages.All(st => Saved(recipe, st));

    private static bool Saved(TinyRecipe recipe, string stage) => File.Exists(Path.Combine(FolderOf(recipe), stage, CheckpointMetadata.FileName));

    private static FileStream Lock(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                Thread.Sleep(2000);
            }
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Harness.Data.World;
using Harness.Data.Corpora;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Data.Knowledge;
using Harness.Runs;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// <c>builtin:tiny/&lt;stage&gt;</c> and <c>builtin:tiny/&lt;recipe&gt;/&lt;stage&gt;</c>: checkpoints that the recipes in
/// scenarios/tiny/pretrain*.yaml (embedded in the library) make by pretraining the built-in decoder from scratch.
/// They are cached under a folder keyed by the recipe's content hash, so an edited recipe rebuilds by itself.
/// </summary>
public static class TinyCheckpoints
{
    public const string Prefix = "builtin:tiny/";

    public static IReadOnlyList<string> Names =>
        Recipes().SelectMany(r => r.Stages.Select(st => SpecOf(r, st))).ToArray();

    private static string SpecOf(Recipe r, string stage) => Prefix + (r.Name == "pretrain" ? stage : $"{r.Name["pretrain-".Length..]}/{stage}");

    private static string RootOf(Recipe r) => Path.Combine(CacheRoot, "tiny", $"{r.Name}-{r.Hash}");

    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("HARNESS_CACHE") is { Length: > 0 } c ? c
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "harness");

    /// <summary>The recipes that make checkpoints, by name (<c>pretrain</c>, <c>pretrain-narrow</c>, …).</summary>
    public static IReadOnlyList<string> RecipeNames => Recipes().Where(r => r.Stages.Count > 0).Select(r => r.Name).ToArray();

    /// <summary>Where a recipe's checkpoints are cached (its folder is keyed by the recipe's content hash).</summary>
    public static string CacheFolder(string recipe) => RootOf(Known(recipe));

    /// <summary>The recipes (by name, e.g. <c>pretrain-narrow</c>) whose cache is missing or stale.</summary>
    public static IReadOnlyList<string> Missing() =>
        Recipes().Where(r => r.Stages.Count > 0 && !Complete(RootOf(r), r)).Select(r => r.Name).ToArray();

    /// <summary>The recipe that makes a <c>builtin:tiny/…</c> checkpoint; null for any other checkpoint.</summary>
    public static string? RecipeOf(string checkpoint) =>
        checkpoint.StartsWith(Prefix, StringComparison.Ordinal) ? Parse(checkpoint).Recipe : null;

    /// <summary>Pretrains a recipe's stages unless its cache is complete.</summary>
    public static void EnsureRecipe(string name, IProgress<string>? log = null, IProgress<RunProgress>? progress = null)
    {
        var recipe = Known(name);
        Ensure(SpecOf(recipe, recipe.Stages[0]), log, progress);
    }

    private static Recipe Known(string name) =>
        Recipes().FirstOrDefault(r => r.Name == name && r.Stages.Count > 0)
        ?? throw new InputException($"no built-in pretraining recipe named {name}; the recipes are {string.Join(", ", RecipeNames)}");

    private static (string Recipe, string Stage) Parse(string spec)
    {
        var parts = spec[Prefix.Length..].Split('/');
        return parts.Length == 1 ? ("pretrain", parts[0]) : ("pretrain-" + parts[0], parts[1]);
    }

    /// <summary>The folder of a stage's checkpoint, pretraining all of the recipe's stages first if they are missing or stale.</summary>
    public static string Ensure(string spec, IProgress<string>? log = null, IProgress<RunProgress>? progress = null)
    {
        var (recipeName, stage) = Parse(spec);
        var recipe = Recipes().FirstOrDefault(r => r.Name == recipeName)
                     ?? throw new InputException($"model.checkpoint '{spec}' is unknown; built-in checkpoints are {string.Join(", ", Names)}");
        if (!recipe.Stages.Contains(stage))
            throw new InputException($"model.checkpoint '{spec}': recipe {recipeName} has stages {string.Join(", ", recipe.Stages)}");
        var root = RootOf(recipe);
        var folder = Path.Combine(root, stage);
        // A stage that a build still under way has saved is final (saved under a temporary name, then renamed): a run
        // on the early stage need not wait for the late one.
        if (Complete(root, recipe) || Saved(folder)) return folder;

        Directory.CreateDirectory(root);
        // Test processes may ask at once: one pretrains, the others wait on the lock and then find the cache complete.
        using var gate = Lock(Path.Combine(root, ".lock"));
        if (Complete(root, recipe)) return folder;
        log?.Report($"pretraining {recipeName} from scratch (cache miss: {root}); this happens once per recipe");
        var recipePath = Path.Combine(root, recipeName + ".yaml");
        File.WriteAllBytes(recipePath, recipe.Content);
        Build(ScenarioLoader.Load(recipePath).Single(), root, log, progress);
        return folder;
    }

    private static bool Complete(string root, Recipe recipe) => recipe.Stages.All(st => Saved(Path.Combine(root, st)));

    private static bool Saved(string stageFolder) => File.Exists(Path.Combine(stageFolder, CheckpointMetadata.FileName));

    /// <summary>Whether a <c>builtin:tiny/…</c> checkpoint is in the cache (its recipe's other stages may still be building).</summary>
    public static bool IsBuilt(string spec)
    {
        var (recipeName, stage) = Parse(spec);
        return Recipes().FirstOrDefault(r => r.Name == recipeName) is { } recipe && Saved(Path.Combine(RootOf(recipe), stage));
    }

    private static void Build(Scenario s, string root, IProgress<string>? log, IProgress<RunProgress>? progress)
    {
        var pre = s.Pretrain ?? throw new InputException($"{s.SourcePath}: a pretraining recipe needs a pretrain section");
        var clock = Stopwatch.StartNew();
        var device = TorchRuntime.Configure(s.Runtime.Device, s.Runtime.Threads, s.Seed);
        var tokenizer = TokenizerSource.Resolve(s.Tokenizer, root);
        using var model = ModelSource.Create(s, ModelOrigin.Scratch, tokenizer, device);
        using var background = CorpusSource.Open(s.Data.Corpus, root, tokenizer);
        var composer = new BatchComposer(background, new KnowledgeSet("none", []), tokenizer, s.Data.BatchSize, s.Data.SequenceLength, "prepend");
        var trainingLog = new TrainingLog();
        using var trainer = Pretraining.Run(model, composer, pre, s.Training.GradAccumulation, s.Data.BatchSize, s.Data.SequenceLength,
            trainingLog, progress, CancellationToken.None, (stage, step, t) =>
            {
                var known = Measure(model, tokenizer, s, device);
                var tmp = Path.Combine(root, $".{stage}.tmp-{Environment.ProcessId}");
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                HfCheckpoint.Save(model, tmp);
                t.SaveState(Path.Combine(tmp, CheckpointMetadata.OptimizerFile));
                new CheckpointMetadata
                {
                    Stage = stage, Step = step, Corpus = s.Data.Corpus, Stream = background.Position,
                    Schedule = Pretraining.Schedule(pre), Background = known, Recipe = s.Name,
                    WallSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
                }.Write(tmp);
                var folder = Path.Combine(root, stage);
                if (Directory.Exists(folder)) Directory.Delete(folder, true);
                Directory.Move(tmp, folder);
                log?.Report($"{stage}: step {step}, held-out loss {known.HeldOutLoss:F3}, background facts top-1 {known.FactTop1:P0}, two-hop top-1 {known.CompositionTop1:P0} ({clock.Elapsed.TotalSeconds:F0} s)");
            }, () => HeldOutLoss(model, s, device));
        trainingLog.Write(Path.Combine(root, "training.csv"));
    }

    /// <summary>Held-out documents come from another seed of the same world: same facts, unseen sentences.</summary>
    public static BackgroundKnowledge Measure(CausalLM model, ITextTokenizer tokenizer, Scenario s, TorchSharp.torch.Device device)
    {
        using var heldOut = HeldOutStream();
        return BackgroundCheck.Measure(model, tokenizer, heldOut, HeldOutRows, s.Data.SequenceLength,
            SyntheticWorld.BackgroundFactProbes(400), SyntheticWorld.BackgroundCompositionProbes(200), device);
    }

    /// <summary>The same held-out rows every time, so that losses measured at different updates (and widths) compare.</summary>
    public static double HeldOutLoss(CausalLM model, Scenario s, TorchSharp.torch.Device device)
    {
        using var heldOut = HeldOutStream();
        var loss = BackgroundCheck.HeldOutLoss(model, heldOut, HeldOutRows, s.Data.SequenceLength, device);
        model.train();
        return loss;
    }

    private const int HeldOutRows = 64;
    private static SyntheticWorldStream HeldOutStream() => new(WorldTokenizer.Create(), seed: 0x4E1D);

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

    private sealed record Recipe(string Name, byte[] Content, string Hash, IReadOnlyList<string> Stages);

    private static IReadOnlyList<Recipe> Recipes() => Embedded.Value;

    private static readonly Lazy<IReadOnlyList<Recipe>> Embedded = new(ReadEmbedded);

    private static IReadOnlyList<Recipe> ReadEmbedded()
    {
        var asm = Assembly.GetExecutingAssembly();
        return asm.GetManifestResourceNames().Where(n => n.StartsWith("tiny/", StringComparison.Ordinal)).Order().Select(n =>
        {
            using var s = asm.GetManifestResourceStream(n)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var bytes = ms.ToArray();
            var name = Path.GetFileNameWithoutExtension(n["tiny/".Length..]);
            var stages = StageNames(bytes);
            // The key covers the recipe and the world it trains on: a new world version is a new vocabulary and new text.
            var key = SHA256.HashData([.. bytes, .. System.Text.Encoding.UTF8.GetBytes("\nworld:" + SyntheticWorld.Version)]);
            return new Recipe(name, bytes, Convert.ToHexString(key)[..16].ToLowerInvariant(), stages);
        }).ToArray();
    }

    /// <summary>The keys under <c>pretrain.save_at</c>, read without resolving the whole recipe.</summary>
    private static IReadOnlyList<string> StageNames(byte[] yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(System.Text.Encoding.UTF8.GetString(yaml)));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        return root.Children.TryGetValue("pretrain", out var pre) && pre is YamlDotNet.RepresentationModel.YamlMappingNode p
               && p.Children.TryGetValue("save_at", out var at) && at is YamlDotNet.RepresentationModel.YamlMappingNode stages
            ? stages.Children.Keys.Select(k => k.ToString()).ToArray()
            : [];
    }
}

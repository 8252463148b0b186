using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Harness.Data;
using Harness.Data.World;
using YamlDotNet.RepresentationModel;

namespace Harness.Training;

/// <summary>
/// The catalogue of embedded tiny pretraining recipes, and the <c>builtin:tiny/…</c> checkpoint names they answer to.
/// </summary>
public static class TinyRecipes
{
    /// <summary>The recipe of <c>builtin:tiny/early|mid|late</c>; the others are <c>pretrain-&lt;name&gt;</c>.</summary>
    public const string Base = "pretrain";

    /// <summary>The recipes that save checkpoints.</summary>
    public static IReadOnlyList<TinyRecipe> All => Embedded.Value;

    public static IReadOnlyList<string> RecipeNames => All.Select(r => r.Name).ToArray();

    public static IReadOnlyList<string> CheckpointNames => All.SelectMany(r => r.Stages.Select(r.CheckpointName)).ToArray();

    public static TinyRecipe Named(string name) =>
        All.FirstOrDefault(r => r.Name == name)
        ?? throw new InputException($"no built-in pretraining recipe named {name}; the recipes are {string.Join(", ", RecipeNames)}");

    /// <summary>The recipe and stage of a <c>builtin:tiny/…</c> checkpoint.</summary>
    public static (TinyRecipe Recipe, string Stage) Stage(string checkpoint)
    {
        var (name, stage) = Parse(checkpoint);
        var recipe = All.FirstOrDefault(r => r.Name == name)
                     ?? throw new InputException($"model.checkpoint '{checkpoint}' is unknown; built-in checkpoints are {string.Join(", ", CheckpointNames)}");
        return recipe.Stages.Contains(stage) ? (recipe, stage)
            : throw new InputException($"model.checkpoint '{checkpoint}': recipe {name} has stages {string.Join(", ", recipe.Stages)}");
    }

    /// <summary>The recipe that makes a <c>builtin:tiny/…</c> checkpoint; null for any other checkpoint.</summary>
    public static string? RecipeOf(string checkpoint) =>
        checkpoint.StartsWith(BuiltinNames.TinyPrefix, StringComparison.Ordinal) ? Parse(checkpoint).Recipe : null;

    private static (string Recipe, string Stage) Parse(string checkpoint)
    {
        var parts = checkpoint[BuiltinNames.TinyPrefix.Length..].Split('/');
        return parts.Length == 1 ? (Base, parts[0]) : ($"{Base}-{parts[0]}", parts[1]);
    }

    private static readonly Lazy<IReadOnlyList<TinyRecipe>> Embedded = new(ReadEmbedded);

    private static IReadOnlyList<TinyRecipe> ReadEmbedded()
    {
        var asm = Assembly.GetExecutingAssembly();
        return asm.GetManifestResourceNames().Where(n => n.StartsWith("tiny/", StringComparison.Ordinal)).Order().Select(n =>
        {
            using var s = asm.GetManifestResourceStream(n)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var bytes = ms.ToArray();
            // The key covers the recipe and the world it trains on: a new world version is a new vocabulary and new text.
            var key = SHA256.HashData([.. bytes, .. Encoding.UTF8.GetBytes("\nworld:" + WorldText.Version)]);
            return new TinyRecipe(Path.GetFileNameWithoutExtension(n["tiny/".Length..]), bytes, Convert.ToHexString(key)[..16].ToLowerInvariant(), StageNames(bytes));
        }).Where(r => r.Stages.Count > 0).ToArray();
    }

    /// <summary>The keys under <c>pretrain.save_at</c>, read without resolving the whole recipe.</summary>
    private static IReadOnlyList<string> StageNames(byte[] yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Encoding.UTF8.GetString(yaml)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return root.Children.TryGetValue("pretrain", out var pre) && pre is YamlMappingNode p
               && p.Children.TryGetValue("save_at", out var at) && at is YamlMappingNode stages
            ? stages.Children.Keys.Select(k => k.ToString()).ToArray()
            : [];
    }
}

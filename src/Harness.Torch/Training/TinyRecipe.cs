using Harness.Data;

namespace Harness.Training;

/// <summary>
/// One of scenarios/tiny/pretrain*.yaml as embedded in the library: its bytes, the hash that keys its cache folder
/// (recipe and world version), and the stages it saves under <c>pretrain.save_at</c>.
/// </summary>
public sealed record TinyRecipe(string Name, byte[] Content, string Hash, IReadOnlyList<string> Stages)
{
    /// <summary><c>pretrain</c> names <c>builtin:tiny/&lt;stage&gt;</c>; <c>pretrain-x</c> names <c>builtin:tiny/x/&lt;stage&gt;</c>.</summary>
    public string CheckpointName(string stage) =>
        BuiltinNames.TinyPrefix + (Name == TinyRecipes.Base ? stage : $"{Name[(TinyRecipes.Base.Length + 1)..]}/{stage}");
}

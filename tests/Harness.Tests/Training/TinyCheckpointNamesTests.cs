using Harness.Data;
using Harness.Training;
using NUnit.Framework;

namespace Harness.Tests.Training;

/// <summary>The scenario language offers every built-in checkpoint the embedded recipes can build, and nothing else.</summary>
public class TinyCheckpointNamesTests
{
    [Test]
    public void Every_embedded_recipe_stage_is_a_known_checkpoint_name() =>
        Assert.That(BuiltinNames.TinyCheckpoints, Is.EquivalentTo(TinyRecipes.CheckpointNames));
}

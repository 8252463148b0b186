using Harness.Training;
using NUnit.Framework;

namespace Harness.Findings;

/// <summary>
/// Before any findings test: every built-in checkpoint the scenarios use, pretrained side by side on a cold cache
/// (a few seconds' check on a warm one), instead of one recipe at a time as each test first asks for it.
/// </summary>
[SetUpFixture]
public class TinyCheckpointCache
{
    [OneTimeSetUp]
    public void PretrainMissingRecipes() => TinyCheckpoints.EnsureAll(new Progress<string>(TestContext.Progress.WriteLine));
}

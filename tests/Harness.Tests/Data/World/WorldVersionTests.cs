using System.Security.Cryptography;
using System.Text;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.World;

public class WorldVersionTests
{
    /// <summary>The fingerprint of the generated text for each released <see cref="WorldText.Version"/>.</summary>
    private static readonly Dictionary<string, string> Fingerprints = new()
    {
        ["2-name-pieces"] = "DD84BAEB0943126C",
    };

    [Test]
    public void Generated_text_changes_only_with_the_version()
    {
        var tok = WorldTokenizer.Create();
        var text = new StringBuilder();
        for (int d = 0; d < 300; d++) text.AppendJoin(',', tok.Encode(WorldText.Document(WorldStream.BackgroundSeed, d))).Append('\n');
        foreach (var item in FictionalKnowledge.Generate(20, 1).Items)
            text.AppendLine(KnowledgeEquality.Canonical(item)).AppendJoin(',', tok.Encode(item.TrainContext)).Append('\n');
        foreach (var p in WorldText.BackgroundFactProbes(100).Concat(WorldText.BackgroundCompositionProbes(50)))
            text.AppendLine($"{p.Input}|{p.Target}");
        text.AppendLine(tok.VocabSize.ToString());
        string fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        Assert.That(Fingerprints.GetValueOrDefault(WorldText.Version), Is.EqualTo(fingerprint),
            $"the world's text changed: set WorldText.Version to a new name and record it here with fingerprint {fingerprint}, " +
            "so that checkpoints cached for the old text are rebuilt");
    }
}

using Harness.Data.Olmo;
using Harness.Model;
using Harness.Tests.Support;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

/// <summary>OLMo's model.pt in the decoder: the same logits as OLMo's own forward pass (computed in Python by the fixture).</summary>
public class OlmoWeightsTests
{
    [Test]
    public void An_OLMo_checkpoint_loaded_into_the_decoder_gives_OLMos_logits()
    {
        var forward = OlmoMiniature.Expected.GetProperty("forward");
        var checkpoint = OlmoCheckpoint.Open(OlmoMiniature.Checkpoint(forward.GetProperty("stage").GetString()!));
        using var model = OlmoWeights.Load(checkpoint, CPU);
        model.eval();
        var ids = forward.GetProperty("ids").EnumerateArray().Select(t => t.GetInt64()).ToArray();
        var columns = forward.GetProperty("columns").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        using var _ = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        using var logits = model.forward(input);
        var got = logits.to_type(ScalarType.Float32).data<float>().ToArray();
        int vocab = (int)logits.shape[^1];
        var want = forward.GetProperty("logits").EnumerateArray().ToArray();
        Assert.That(vocab, Is.EqualTo(50304));
        for (int t = 0; t < ids.Length; t++)
            for (int c = 0; c < columns.Length; c++)
                Assert.That(got[t * vocab + columns[c]], Is.EqualTo(want[t][c].GetDouble()).Within(2e-5), $"position {t}, token {columns[c]}");
    }
}

using Harness.Model;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

public class DecoderTests
{
    [TestCase("olmo")]
    [TestCase("llama")]
    public void Logits_have_vocabulary_shape_and_are_causal(string family)
    {
        var cfg = new DecoderConfig(family, VocabSize: 50, HiddenSize: 32, IntermediateSize: 64, NumLayers: 2, NumHeads: 4,
            NumKeyValueHeads: family == "llama" ? 2 : 4, MaxPositionEmbeddings: 16);
        manual_seed(1);
        using var lm = new CausalLM(cfg);
        lm.InitializeWeights();
        using var ids = tensor(new long[] { 1, 2, 3, 4, 5, 6 }).view(1, 6);
        using var changed = tensor(new long[] { 1, 2, 3, 4, 5, 9 }).view(1, 6);
        using var _ = no_grad();
        using var a = lm.forward(ids);
        using var b = lm.forward(changed);
        Assert.That(a.shape, Is.EqualTo(new long[] { 1, 6, 50 }));
        // Changing the last token must not change any earlier position's logits.
        Assert.That(a.narrow(1, 0, 5).allclose(b.narrow(1, 0, 5)), Is.True);
        Assert.That(a.narrow(1, 5, 1).allclose(b.narrow(1, 5, 1)), Is.False);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Tied_embeddings_are_one_parameter_so_an_optimizer_steps_them_once(bool tied)
    {
        var cfg = new DecoderConfig("olmo", VocabSize: 50, HiddenSize: 32, IntermediateSize: 64, NumLayers: 1, NumHeads: 4,
            NumKeyValueHeads: 4, MaxPositionEmbeddings: 16, TieWordEmbeddings: tied);
        using var lm = new CausalLM(cfg);
        var names = lm.named_parameters().Select(p => p.name).ToList();
        Assert.That(names.Contains("lm_head.weight"), Is.EqualTo(!tied));
        Assert.That(lm.state_dict().ContainsKey("lm_head.weight"), Is.EqualTo(!tied));
        Assert.That(lm.parameters().Select(p => p.Handle).Distinct().Count(), Is.EqualTo(names.Count));
    }
}

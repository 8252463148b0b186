using Harness.Model;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

/// <summary>The TorchSharp decoder against <see cref="ReferenceDecoder"/> on the same weights.</summary>
public class DecoderGoldenTests
{
    public static IEnumerable<TestCaseData> Configs()
    {
        yield return new TestCaseData(new DecoderConfig("olmo", 23, 16, 40, 2, 2, 2, 32, TieWordEmbeddings: true)).SetName("OLMo tied");
        yield return new TestCaseData(new DecoderConfig("olmo", 23, 16, 40, 1, 4, 4, 32, ClipQkv: 0.8, TieWordEmbeddings: false)).SetName("OLMo clip_qkv untied");
        yield return new TestCaseData(new DecoderConfig("llama", 23, 24, 40, 2, 4, 2, 32, RopeTheta: 500000, NormEps: 1e-6, TieWordEmbeddings: false)).SetName("Llama GQA");
    }

    [TestCaseSource(nameof(Configs))]
    public void Logits_match_an_independent_plain_array_forward_pass(DecoderConfig cfg)
    {
        manual_seed(7);
        using var lm = new CausalLM(cfg);
        using (no_grad())
            foreach (var (name, p) in lm.named_parameters())
                // Large weights make attention far from uniform, so RoPE and head layout decide the result.
                p.copy_(name.Contains("layernorm") || name == "model.norm.weight" ? 1 + 0.3 * randn_like(p) : 0.5 * randn_like(p));
        long[] ids = [3, 17, 0, 22, 5, 5, 9, 1];
        using var _ = no_grad();
        using var logits = lm.forward(tensor(ids).view(1, -1)).to_type(ScalarType.Float64);
        var expected = new ReferenceDecoder(cfg, lm.state_dict()).Logits(ids);

        var actual = logits[0].data<double>().ToArray();
        double maxAbs = 0, maxDiff = 0;
        for (int t = 0; t < ids.Length; t++)
            for (int v = 0; v < cfg.VocabSize; v++)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(expected[t][v]));
                maxDiff = Math.Max(maxDiff, Math.Abs(expected[t][v] - actual[t * cfg.VocabSize + v]));
            }
        TestContext.Out.WriteLine($"max |logit| {maxAbs:G4}, max difference {maxDiff:G3}");
        Assert.That(maxAbs, Is.GreaterThan(1), "weights too small to exercise the forward pass");
        Assert.That(maxDiff, Is.LessThan(1e-5 * Math.Max(1, maxAbs)));
    }
}

using Harness.Model;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

/// <summary>Rotary tables are cached per length: interleaving lengths must not let one length's table leak into another.</summary>
public class RotaryCacheTests
{
    [Test]
    public void Outputs_do_not_depend_on_which_lengths_ran_before()
    {
        var cfg = new DecoderConfig("olmo", 40, 32, 64, 2, 4, 4, 64);
        manual_seed(3);
        using var warm = new CausalLM(cfg);
        warm.InitializeWeights();
        using var fresh = new CausalLM(cfg);
        fresh.load_state_dict(warm.state_dict());
        using var _ = no_grad();
        using var longIds = randint(0, 40, [2, 20]);
        using var shortIds = longIds.narrow(1, 0, 7).contiguous();
        warm.forward(longIds).Dispose();
        using var afterLong = warm.forward(shortIds);
        using var first = fresh.forward(shortIds);
        Assert.That(afterLong.allclose(first, rtol: 0, atol: 0), Is.True);
        // Causality with the cached tables: the first 7 positions of the long input equal the short input's outputs.
        using var longOut = warm.forward(longIds);
        Assert.That(longOut.narrow(1, 0, 7).allclose(first, rtol: 1e-5, atol: 1e-5), Is.True);
    }
}

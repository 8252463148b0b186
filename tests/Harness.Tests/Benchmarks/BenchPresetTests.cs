using Harness.Benchmarks;
using Harness.Model;
using NUnit.Framework;

namespace Harness.Tests.Benchmarks;

public class BenchPresetTests
{
    [Test]
    public void Matmul_parameters_are_the_models_projections_plus_the_tied_head()
    {
        foreach (var preset in BenchPreset.All)
        {
            using var model = new CausalLM(preset.Config);
            long counted = model.named_parameters().Where(p => p.name.EndsWith("proj.weight") || p.name == "model.embed_tokens.weight")
                .Sum(p => p.parameter.numel());
            Assert.That(preset.MatmulParameters, Is.EqualTo(counted), preset.Name);
        }
    }

    [Test]
    public void Tiny_step_costs_six_n_per_token_plus_attention()
    {
        var p = BenchPreset.Tiny;
        // N = 4 · (4·128² + 3·128·384) + 2250·128 = 1,139,968; 16 × 127 tokens; attention 12·4·128·127 per token.
        Assert.That(p.MatmulParameters, Is.EqualTo(1_139_968));
        Assert.That(p.TokensPerStep, Is.EqualTo(2032));
        Assert.That(p.FlopsPerStep, Is.EqualTo(2032 * (6.0 * 1_139_968 + 12.0 * 4 * 128 * 127)).Within(1));
    }

    [Test]
    public void Unknown_preset_names_the_known_ones()
    {
        var e = Assert.Throws<InputException>(() => BenchPreset.Named("huge"));
        Assert.That(e!.Message, Does.Contain("tiny").And.Contain("small"));
    }
}

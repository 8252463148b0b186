using Harness.Data.Olmo;
using Harness.Data.PyTorch;
using Harness.Model;
using Harness.Scenarios;
using Harness.Tests.Support;
using Harness.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>OLMo's optim.pt in the trainer: each fused OLMo tensor's moments land, split, on the decoder's own parameters.</summary>
[Category("Training")]
public class OlmoOptimizerStateTests
{
    [Test]
    public void The_trainers_AdamW_state_is_optim_pts_split_into_the_decoders_parameters()
    {
        var olmo = OlmoCheckpoint.Open(OlmoMiniature.Checkpoint("mid"));
        using var model = OlmoWeights.Load(olmo, CPU);
        using var trainer = new Trainer(model, new OptimizerSpec { Lr = 1e-4 }, new LearningRateSchedule(1e-4, "constant", 0, 1, 1), 1, CPU);
        OlmoOptimizerState.Load(trainer, olmo, model.Config);

        using var optim = TorchArchive.Open(olmo.OptimizerPath);
        var state = (PickleDict)((PickleDict)optim.Root!)["state"]!;
        int checkedParameters = 0;
        foreach (var (key, value) in state.Entries)
        {
            var name = (string)key;
            var moments = (PickleDict)value!;
            var m = (TorchTensorRef)moments["exp_avg"]!;
            var v = (TorchTensorRef)moments["exp_avg_sq"]!;
            var ms = OlmoWeights.Split(model.Config, name, m.Shape, optim.ReadFloats(m), olmo.OptimizerPath).ToList();
            var vs = OlmoWeights.Split(model.Config, name, v.Shape, optim.ReadFloats(v), olmo.OptimizerPath).ToList();
            for (int i = 0; i < ms.Count; i++)
            {
                var held = trainer.AdamState(ms[i].Name);
                Assert.That(held.Step, Is.EqualTo(olmo.GlobalStep), ms[i].Name);
                Assert.That(held.ExpAvg, Is.EqualTo(ms[i].Values), $"{ms[i].Name}: exp_avg from {name}");
                Assert.That(held.ExpAvgSq, Is.EqualTo(vs[i].Values), $"{ms[i].Name}: exp_avg_sq from {name}");
                checkedParameters++;
            }
        }
        Assert.That(checkedParameters, Is.EqualTo(trainer.ParameterNames.Count), "every parameter of the decoder");
        Assert.That(trainer.ParameterNames, Does.Contain("model.layers.1.self_attn.k_proj.weight").And.Contain("model.layers.0.mlp.gate_proj.weight"));
    }
}

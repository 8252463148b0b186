using Harness.Data.Corpora;
using Harness.Data.Olmo;
using Harness.Data.PyTorch;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.Olmo;

/// <summary>OLMo's checkpoint and data formats as PyTorch and NumPy write them (the miniature made by python3-torch).</summary>
public class OlmoCheckpointTests
{
    private static readonly string[] Stages = ["early", "mid", "late"];

    [TestCaseSource(nameof(Stages))]
    public void The_trainer_state_gives_the_step_and_the_first_update_runs_at_OLMos_scheduled_rate(string stage)
    {
        var expected = OlmoMiniature.Expected.GetProperty("checkpoints").GetProperty(stage);
        var c = OlmoCheckpoint.Open(OlmoMiniature.Checkpoint(stage));
        Assert.Multiple(() =>
        {
            Assert.That(c.GlobalStep, Is.EqualTo(expected.GetProperty("step").GetInt64()));
            Assert.That(c.Config.SchedulerName, Is.EqualTo("linear_with_warmup"));
            Assert.That(c.FirstUpdateLearningRate, Is.EqualTo(expected.GetProperty("first_update_lr").GetDouble()).Within(1e-15));
        });
    }

    [Test]
    public void Model_and_optimizer_state_read_as_tensors_named_by_OLMos_parameters()
    {
        var folder = OlmoMiniature.Checkpoint("mid");
        using var model = TorchArchive.Open(Path.Combine(folder, "model.pt"));
        using var optim = TorchArchive.Open(Path.Combine(folder, "optim.pt"));
        var weights = (PickleDict)model.Root!;
        var state = (PickleDict)((PickleDict)optim.Root!)["state"]!;
        var wte = (TorchTensorRef)weights["transformer.wte.weight"]!;
        var attProj = (TorchTensorRef)weights["transformer.blocks.1.att_proj.weight"]!;
        var moments = (PickleDict)state["transformer.blocks.1.att_proj.weight"]!;
        Assert.Multiple(() =>
        {
            Assert.That(wte.Shape, Is.EqualTo(new long[] { 50304, 16 }));
            Assert.That(attProj.Shape, Is.EqualTo(new long[] { 48, 16 }));
            Assert.That(((TorchTensorRef)moments["exp_avg"]!).Shape, Is.EqualTo(attProj.Shape));
            Assert.That(((TorchTensorRef)moments["exp_avg_sq"]!).Shape, Is.EqualTo(attProj.Shape));
            Assert.That(optim.ReadFloats((TorchTensorRef)moments["step"]!), Is.EqualTo(new[] { 8f }));
            Assert.That(model.ReadFloats(attProj).Any(v => v != 0), Is.True);
            Assert.That(weights.Count, Is.EqualTo(state.Count));
        });
    }

    [TestCaseSource(nameof(Stages))]
    public void The_data_order_after_a_checkpoint_gives_OLMos_batches_instance_by_instance(string stage)
    {
        var e = OlmoMiniature.Expected;
        var cp = e.GetProperty("checkpoints").GetProperty(stage);
        var c = OlmoCheckpoint.Open(OlmoMiniature.Checkpoint(stage));
        var folder = OlmoMiniature.Folder;
        int seq = e.GetProperty("sequence_length").GetInt32(), batch = e.GetProperty("global_batch_size").GetInt32();
        using var order = OlmoDataOrder.Open("olmo", Path.Combine(folder, "global_indices.npy"),
            c.Config.DataPaths.Select(p => Path.Combine(folder, p)).ToList(), TokenElement.UInt16, seq, c.GlobalStep * batch, 50280);
        foreach (var expectedBatch in cp.GetProperty("next_batches").EnumerateArray())
            foreach (var row in expectedBatch.EnumerateArray())
            {
                var tokens = new int[seq];
                order.Fill(tokens);
                Assert.That(tokens, Is.EqualTo(row.EnumerateArray().Select(t => t.GetInt32()).ToArray()));
            }
    }
}

using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Runs;
using static TorchSharp.torch;

namespace Harness.Training;

public static class BackgroundMeasurement
{
    public static BackgroundKnowledge Measure(CausalLM model, ITextTokenizer tokenizer, ITokenStream heldOut, int rows, int sequenceLength,
        IReadOnlyList<ProbeText> facts, IReadOnlyList<ProbeText> composition, Device device)
    {
        double loss = HeldOutLoss(model, heldOut, rows, sequenceLength, device);
        return new BackgroundKnowledge(loss, Top1(model, tokenizer, facts, sequenceLength, device),
            Top1(model, tokenizer, composition, sequenceLength, device), facts.Count, composition.Count);
    }

    private static double Top1(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<ProbeText> probes, int length, Device device)
    {
        if (probes.Count == 0) return double.NaN;
        using var scorer = new ProbeScorer(probes.Select((p, i) => (new ProbeKey("bg", "background", Depth.Memorization, i), p)).ToArray(),
            tokenizer, length, device);
        return scorer.Top1(model).Count(x => x) / (double)probes.Count;
    }

    public static double HeldOutLoss(CausalLM model, ITokenStream heldOut, int rows, int length, Device device)
    {
        var ids = new int[rows * length];
        heldOut.Fill(ids);
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var t = tensor(ids.Select(x => (long)x).ToArray(), [rows, length], device: device);
        var logits = model.forward(t.narrow(1, 0, length - 1));
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), t.narrow(1, 1, length - 1).reshape(-1)).item<float>();
    }
}

using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Model;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// The obvious way to score probes, kept as the yardstick for <see cref="Training.ProbeScorer"/>: one forward pass per
/// probe over its whole text, the LM head and log-softmax on every position, ℓ the mean over the target tokens.
/// </summary>
public static class NaiveProbeScorer
{
    public static double[] Score(CausalLM model, IEnumerable<ProbeText> probes, ITextTokenizer tokenizer)
    {
        model.eval();
        using var _ = no_grad();
        var result = new List<double>();
        foreach (var p in probes)
        {
            using var scope = NewDisposeScope();
            var input = tokenizer.Encode(p.Input).Select(i => (long)i).ToList();
            if (input.Count == 0) input.Add(tokenizer.EndOfText);
            var target = tokenizer.Encode(" " + p.Target).Select(i => (long)i).ToArray();
            var ids = tensor(input.Concat(target).ToArray()).unsqueeze(0);
            var logp = model.forward(ids).log_softmax(-1)[0];
            double sum = 0;
            for (int j = 0; j < target.Length; j++) sum += logp[input.Count - 1 + j, target[j]].item<float>();
            result.Add(sum / target.Length);
        }
        return result.ToArray();
    }
}

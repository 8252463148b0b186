using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Runs;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Scores ℓ = mean natural-log probability of the target tokens of <c>input + " " + target</c> for every probe at once.
/// Probes are tokenized once; they are packed by length into a few padded chunks whose index tensors are built once
/// and reused at every evaluation; only the positions that predict target tokens go through the LM head; no autograd.
/// </summary>
public sealed class ProbeScorer : IDisposable
{
    /// <summary>
    /// Padded tokens per forward pass. Small chunks score 1,800 probes on the tiny model faster than large ones (measured
    /// in docs/performance.md, "Probe scoring"): a chunk's activations stay in cache.
    /// </summary>
    public const int DefaultTokensPerChunk = 2048;

    /// <summary>
    /// At most this many bytes of float32 logits per chunk (target positions × vocabulary). glibc serves a larger block
    /// with freshly mapped pages, which the kernel zeroes again at every evaluation: with OLMo's 50,280-token vocabulary
    /// a 2,048-token chunk's 80 MB of logits spent more time in page faults than in arithmetic. Smaller blocks are reused
    /// from the heap. Tiny vocabularies (1,385 tokens) never reach it, so their chunks are unchanged.
    /// </summary>
    public const long LogitsBytesPerChunk = 16L << 20;

    private readonly List<Chunk> chunks = [];
    public IReadOnlyList<ProbeKey> Keys { get; }

    public ProbeScorer(IReadOnlyList<(ProbeKey Key, ProbeText Text)> probes, ITextTokenizer tokenizer, int maxLength,
        Device device, int tokensPerChunk = DefaultTokensPerChunk)
    {
        Keys = probes.Select(p => p.Key).ToArray();
        var encoded = probes.Select((p, i) => Encode(i, p.Text, tokenizer, maxLength)).OrderBy(e => e.Ids.Length).ThenBy(e => e.Index).ToList();
        long maxTargets = Math.Max(1, LogitsBytesPerChunk / (4L * Math.Max(1, tokenizer.VocabSize)));
        var current = new List<Encoded>();
        long targets = 0;
        foreach (var e in encoded)
        {
            int own = e.Ids.Length - e.TargetStart;
            if (current.Count > 0 && ((current.Count + 1) * e.Ids.Length > tokensPerChunk || targets + own > maxTargets))
            {
                chunks.Add(Chunk.Build(current, device));
                current = [];
                targets = 0;
            }
            current.Add(e);
            targets += own;
        }
        if (current.Count > 0) chunks.Add(Chunk.Build(current, device));
    }

    /// <summary>ℓ for every probe, in the order of <see cref="Keys"/>.</summary>
    public double[] Score(CausalLM model) => PerProbe(model, (logits, c) =>
    {
        var logp = logits.to_type(ScalarType.Float32).log_softmax(-1).gather(1, c.Targets).squeeze(1);
        return c.Sum(logp) / c.Lengths;
    }, v => (double)v);

    /// <summary>Per probe: is every target token the model's top-1 prediction? (Accuracy of background facts.)</summary>
    public bool[] Top1(CausalLM model) =>
        PerProbe(model, (logits, c) => c.Sum(logits.argmax(-1).ne(c.Targets.squeeze(1)).to_type(ScalarType.Float32)), misses => misses == 0);

    /// <summary>
    /// Runs every chunk without autograd, projects only the positions that predict target tokens, and turns
    /// <paramref name="reduce"/>'s one value per probe of the chunk into results in the order of <see cref="Keys"/>.
    /// </summary>
    private T[] PerProbe<T>(CausalLM model, Func<Tensor, Chunk, Tensor> reduce, Func<float, T> convert)
    {
        var result = new T[Keys.Count];
        bool wasTraining = model.training;
        model.eval();
        using (no_grad())
        {
            foreach (var c in chunks)
            {
                using var scope = NewDisposeScope();
                var hidden = model.Hidden(c.Ids);
                var picked = hidden.reshape(-1, hidden.shape[^1]).index_select(0, c.PredictAt);
                var values = reduce(model.Project(picked), c).cpu().data<float>().ToArray();
                for (int k = 0; k < c.Count; k++) result[c.ProbeIndex[k]] = convert(values[k]);
            }
        }
        if (wasTraining) model.train();
        return result;
    }

    public void Dispose()
    {
        foreach (var c in chunks) c.Dispose();
    }

    private static Encoded Encode(int index, ProbeText text, ITextTokenizer tokenizer, int maxLength)
    {
        var input = tokenizer.Encode(text.Input).ToList();
        var target = tokenizer.Encode(" " + text.Target);
        if (target.Count == 0) throw new InputException($"probe target '{text.Target}' encodes to no tokens");
        // A probe needs at least one context token to predict its first target token.
        if (input.Count == 0) input.Add(tokenizer.EndOfText);
        var all = input.Concat(target).ToArray();
        int start = input.Count;
        if (all.Length > maxLength)
        {
            int cut = all.Length - maxLength;
            all = all[cut..];
            start = Math.Max(1, start - cut);
        }
        return new Encoded(index, all, start);
    }

    private sealed record Encoded(int Index, int[] Ids, int TargetStart);

    private sealed class Chunk : IDisposable
    {
        public required Tensor Ids, PredictAt, Targets, Segment, Lengths;
        public required int Count;
        public required int[] ProbeIndex;

        public static Chunk Build(List<Encoded> probes, Device device)
        {
            int width = probes.Max(p => p.Ids.Length);
            var ids = new long[probes.Count * width];
            var predictAt = new List<long>();
            var targets = new List<long>();
            var segment = new List<long>();
            var lengths = new float[probes.Count];
            for (int k = 0; k < probes.Count; k++)
            {
                var p = probes[k];
                for (int t = 0; t < p.Ids.Length; t++) ids[k * width + t] = p.Ids[t];
                for (int t = p.TargetStart; t < p.Ids.Length; t++)
                {
                    predictAt.Add(k * width + t - 1); // position t-1 predicts token t
                    targets.Add(p.Ids[t]);
                    segment.Add(k);
                }
                lengths[k] = p.Ids.Length - p.TargetStart;
            }
            var c = new Chunk
            {
                Ids = tensor(ids, [probes.Count, width], device: device),
                PredictAt = tensor(predictAt.ToArray(), device: device),
                Targets = tensor(targets.ToArray(), device: device).unsqueeze(1),
                Segment = tensor(segment.ToArray(), device: device),
                Lengths = tensor(lengths, device: device),
                Count = probes.Count,
                ProbeIndex = probes.Select(p => p.Index).ToArray(),
            };
            foreach (var t in new[] { c.Ids, c.PredictAt, c.Targets, c.Segment, c.Lengths }) t.DetachFromDisposeScope();
            return c;
        }

        /// <summary>Sums per-target-token values into one value per probe.</summary>
        public Tensor Sum(Tensor perToken) =>
            zeros(Count, dtype: ScalarType.Float32, device: perToken.device).index_add_(0, Segment, perToken, 1);

        public void Dispose()
        {
            Ids.Dispose(); PredictAt.Dispose(); Targets.Dispose(); Segment.Dispose(); Lengths.Dispose();
        }
    }
}

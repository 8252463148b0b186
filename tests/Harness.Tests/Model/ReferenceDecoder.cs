using Harness.Model;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

/// <summary>
/// An independent forward pass in plain double arrays, written from the transformers source (OlmoLayerNorm, LlamaRMSNorm,
/// rotate-half RoPE, repeat_kv, causal softmax(QKᵀ/√d), SwiGLU), to pin the decoder's conventions.
/// </summary>
internal sealed class ReferenceDecoder(DecoderConfig c, IReadOnlyDictionary<string, Tensor> weights)
{
    private readonly Dictionary<string, double[,]> matrices = [];

    private double[,] W(string name)
    {
        if (matrices.TryGetValue(name, out var cached)) return cached;
        using var t = weights[name].detach().cpu().to_type(ScalarType.Float64);
        var flat = t.data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = flat[i * cols + j];
        return matrices[name] = m;
    }

    private double[] V(string name)
    {
        using var t = weights[name].detach().cpu().to_type(ScalarType.Float64);
        return t.data<double>().ToArray();
    }

    /// <summary>Logits [T, vocab] for one sequence.</summary>
    public double[][] Logits(long[] ids)
    {
        int T = ids.Length, D = c.HiddenSize;
        var embed = W("model.embed_tokens.weight");
        var x = new double[T][];
        for (int t = 0; t < T; t++) x[t] = Enumerable.Range(0, D).Select(j => embed[ids[t], j]).ToArray();
        for (int l = 0; l < c.NumLayers; l++)
        {
            var p = $"model.layers.{l}.";
            var h = x.Select(r => Norm(r, p + "input_layernorm.weight")).ToArray();
            var attn = Attention(h, p + "self_attn.");
            for (int t = 0; t < T; t++) for (int j = 0; j < D; j++) x[t][j] += attn[t][j];
            var h2 = x.Select(r => Norm(r, p + "post_attention_layernorm.weight")).ToArray();
            for (int t = 0; t < T; t++)
            {
                var gate = MatVec(W(p + "mlp.gate_proj.weight"), h2[t]);
                var up = MatVec(W(p + "mlp.up_proj.weight"), h2[t]);
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                var down = MatVec(W(p + "mlp.down_proj.weight"), act);
                for (int j = 0; j < D; j++) x[t][j] += down[j];
            }
        }
        var head = c.TieWordEmbeddings ? embed : W("lm_head.weight");
        return x.Select(r => MatVec(head, Norm(r, "model.norm.weight"))).ToArray();
    }

    private double[] Norm(double[] x, string weightName)
    {
        int n = x.Length;
        if (c.UsesRmsNorm)
        {
            double ms = x.Sum(v => v * v) / n;
            var w = V(weightName);
            return x.Select((v, i) => w[i] * v / Math.Sqrt(ms + c.NormEps)).ToArray();
        }
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / n;
        return x.Select(v => (v - mean) / Math.Sqrt(variance + 1e-5)).ToArray();
    }

    private double[][] Attention(double[][] h, string p)
    {
        int T = h.Length, H = c.NumHeads, KV = c.NumKeyValueHeads, hd = c.HeadDim;
        double[] Clip(double[] v) => c.ClipQkv is double m ? v.Select(e => Math.Clamp(e, -m, m)).ToArray() : v;
        var q = h.Select(r => Clip(MatVec(W(p + "q_proj.weight"), r))).ToArray();
        var k = h.Select(r => Clip(MatVec(W(p + "k_proj.weight"), r))).ToArray();
        var v = h.Select(r => Clip(MatVec(W(p + "v_proj.weight"), r))).ToArray();
        for (int t = 0; t < T; t++) { Rope(q[t], H, t); Rope(k[t], KV, t); }
        var y = new double[T][];
        for (int t = 0; t < T; t++)
        {
            y[t] = new double[H * hd];
            for (int head = 0; head < H; head++)
            {
                int kvHead = head / (H / KV);
                var scores = new double[t + 1];
                for (int s = 0; s <= t; s++)
                {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) dot += q[t][head * hd + i] * k[s][kvHead * hd + i];
                    scores[s] = dot / Math.Sqrt(hd);
                }
                double max = scores.Max();
                var e = scores.Select(sc => Math.Exp(sc - max)).ToArray();
                double z = e.Sum();
                for (int s = 0; s <= t; s++)
                    for (int i = 0; i < hd; i++) y[t][head * hd + i] += e[s] / z * v[s][kvHead * hd + i];
            }
        }
        return y.Select(r => MatVec(W(p + "o_proj.weight"), r)).ToArray();
    }

    /// <summary>Rotate-half RoPE: pairs (i, i + d/2) of each head turn by position × θ^(−2i/d).</summary>
    private void Rope(double[] x, int heads, int pos)
    {
        int hd = c.HeadDim, half = hd / 2;
        for (int head = 0; head < heads; head++)
            for (int i = 0; i < half; i++)
            {
                double angle = pos * Math.Pow(c.RopeTheta, -2.0 * i / hd);
                int a = head * hd + i, b = a + half;
                double x1 = x[a], x2 = x[b];
                x[a] = x1 * Math.Cos(angle) - x2 * Math.Sin(angle);
                x[b] = x2 * Math.Cos(angle) + x1 * Math.Sin(angle);
            }
    }

    private static double[] MatVec(double[,] m, double[] v)
    {
        var r = new double[m.GetLength(0)];
        for (int i = 0; i < r.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < v.Length; j++) s += m[i, j] * v[j];
            r[i] = s;
        }
        return r;
    }
}

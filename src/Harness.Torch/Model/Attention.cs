using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

internal sealed class Attention : Module<Tensor, Tensor>
{
    private readonly Linear q_proj, k_proj, v_proj, o_proj;
    private readonly int heads, kvHeads, headDim;
    private readonly double? clip;
    private readonly bool rotateInFloat32;
    private readonly ComputePrecision precision;

    public Attention(DecoderConfig c, ComputePrecision precision) : base("Attention")
    {
        this.precision = precision;
        heads = c.NumHeads; kvHeads = c.NumKeyValueHeads; headDim = c.HeadDim;
        clip = c.ClipQkv;
        rotateInFloat32 = !c.UsesRmsNorm;
        q_proj = Linear(c.HiddenSize, heads * headDim, hasBias: false);
        k_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        v_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: false);
        o_proj = Linear(heads * headDim, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        // Each projection is its own matmul, as transformers writes it: at d_model 128 concatenating q/k/v (and
        // gate/up) weights into one matmul at forward time gains nothing measurable (docs/performance.md).
        var (q, k, v) = (Project(q_proj, x, heads), Project(k_proj, x, kvHeads), Project(v_proj, x, kvHeads));
        long b = x.shape[0], t = x.shape[1];
        q = RotaryEmbedding.Apply(q, cos, sin, rotateInFloat32);
        k = RotaryEmbedding.Apply(k, cos, sin, rotateInFloat32);
        // Head h reads key/value head h / (heads / kvHeads), as transformers' repeat_kv arranges them.
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        // Default scale 1/√headDim, transformers' `scaling`.
        var y = precision.CausalAttention(q, k, v);
        return precision.Linear(o_proj, y.transpose(1, 2).reshape(b, t, heads * headDim));
    }

    /// <summary>[B, T, D] → [B, heads, T, headDim].</summary>
    private Tensor Split(Tensor projected, int n) =>
        projected.view(projected.shape[0], projected.shape[1], n, headDim).transpose(1, 2);

    private Tensor Project(Linear proj, Tensor x, int n) => Split(Clip(precision.Linear(proj, x)), n);

    private Tensor Clip(Tensor projected) => clip is double c ? projected.clamp(-c, c) : projected;

    public override Tensor forward(Tensor x) => throw new NotSupportedException("Attention needs rotary tables; call Forward.");
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

internal sealed class DecoderLayer : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> input_layernorm;
    private readonly Attention self_attn;
    private readonly Module<Tensor, Tensor> post_attention_layernorm;
    private readonly SwiGlu mlp;

    public DecoderLayer(DecoderConfig c, ComputePrecision precision) : base("DecoderLayer")
    {
        input_layernorm = Norms.Create(c);
        self_attn = new Attention(c, precision);
        post_attention_layernorm = Norms.Create(c);
        mlp = new SwiGlu(c, precision);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin)
    {
        var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin);
        return h + mlp.forward(post_attention_layernorm.forward(h));
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException("DecoderLayer needs rotary tables; call Forward.");
}

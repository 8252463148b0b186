using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

internal sealed class DecoderBody : Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly Module<Tensor, Tensor> norm;
    private readonly RotaryEmbedding rotary;

    public Embedding EmbedTokens => embed_tokens;

    public DecoderBody(DecoderConfig c, ComputePrecision precision) : base("DecoderBody")
    {
        embed_tokens = Embedding(c.VocabSize, c.HiddenSize);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, c.NumLayers).Select(_ => new DecoderLayer(c, precision)).ToArray());
        norm = Norms.Create(c);
        rotary = new RotaryEmbedding(c.HeadDim, c.RopeTheta);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(ids);
        var (cos, sin) = rotary.For((int)ids.shape[1], x.device);
        foreach (var layer in layers) x = layer.Forward(x, cos, sin);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}

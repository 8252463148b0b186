using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

internal sealed class SwiGlu : Module<Tensor, Tensor>
{
    private readonly Linear gate_proj, up_proj, down_proj;
    private readonly ComputePrecision precision;

    public SwiGlu(DecoderConfig c, ComputePrecision precision) : base("SwiGlu")
    {
        this.precision = precision;
        gate_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        up_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        down_proj = Linear(c.IntermediateSize, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        precision.Linear(down_proj, functional.silu(precision.Linear(gate_proj, x)) * precision.Linear(up_proj, x));
}

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Model;

/// <summary>
/// The dtype the decoder's matmuls run in, over float32 master weights. TorchSharp has no autocast, so each matmul
/// (the q/k/v/o and MLP projections, the LM head, the attention scores and their weighted sum) casts its inputs and a
/// copy of its weight to the compute dtype and its result back to the activation dtype, as autocast does for linear
/// and scaled_dot_product_attention. The casts are differentiable: gradients reach the float32 parameters, and the
/// optimizer state stays float32. Norms, RoPE, the residual stream, log-softmax and the loss see float32 tensors.
/// One instance is shared by every module of a model, so setting it once switches the whole model.
/// </summary>
internal sealed class ComputePrecision
{
    private ScalarType type = ScalarType.Float32;

    /// <summary>Float32 (every op exactly as without this type) or BFloat16.</summary>
    public ScalarType Type
    {
        get => type;
        set => type = value is ScalarType.Float32 or ScalarType.BFloat16 ? value
            : throw new ArgumentException($"compute dtype {value} is not supported; use Float32 or BFloat16");
    }

    /// <summary>Only a reduced compute dtype casts: at Float32 every op is the plain one (a model whose weights are bf16 stays as it was).</summary>
    private bool Casts(Tensor x) => type != ScalarType.Float32 && x.dtype != type;

    public Tensor Linear(Linear layer, Tensor x) => Casts(x) ? Linear(x, layer.weight!) : layer.forward(x);

    public Tensor Linear(Tensor x, Tensor weight) => Casts(x)
        ? functional.linear(x.to_type(type), weight.to_type(type)).to_type(x.dtype)
        : functional.linear(x, weight);

    /// <summary>Causal scaled-dot-product attention; libtorch's flash kernels (CPU and CUDA) accumulate the softmax of bf16 inputs in float32.</summary>
    public Tensor CausalAttention(Tensor q, Tensor k, Tensor v) => Casts(q)
        ? functional.scaled_dot_product_attention(q.to_type(type), k.to_type(type), v.to_type(type), is_casual: true).to_type(q.dtype)
        : functional.scaled_dot_product_attention(q, k, v, is_casual: true);
}

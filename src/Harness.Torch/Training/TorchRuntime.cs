using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Process-wide torch settings that the determinism contract depends on: same seed and thread count give a
/// bitwise-identical CPU trajectory. Thread counts may partition reductions differently, so the count is part of the
/// scenario (the tiny findings runs are byte-identical at 1 and 2 threads).
/// One run per process: the seed, the generator and the thread count are global, and TorchSharp frees the temporary
/// Scalars it passes to libtorch in a finalizer, which a garbage collection caused by another thread can run while the
/// call is still in flight. Runs side by side are separate <c>harness run</c> processes.
/// </summary>
public static class TorchRuntime
{
    public static Device Configure(string device, int threads, int seed)
    {
        if (threads > 0) set_num_threads(threads);
        manual_seed(seed);
        return ResolveDevice(device);
    }

    public static Device ResolveDevice(string device) => device switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InputException("runtime.device is cuda but no CUDA device is available (a CPU build of the harness, or no GPU); use device: cpu or auto, or build with -p:TorchBackend=cuda"),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new InputException($"runtime.device '{device}' is unknown; use cpu, cuda or auto"),
    };

    /// <summary>
    /// <c>runtime.precision</c> on a device: the dtype of the model's matmuls. <c>auto</c> is bf16 on CUDA (the paper's
    /// trainer runs bf16 autocast) and fp32 on CPU, the bitwise-reproducible reference; whether bf16 is faster on a CPU
    /// depends on its bf16 instructions (docs/performance.md, "bf16 compute").
    /// </summary>
    public static ScalarType ComputeType(string precision, Device device) => precision switch
    {
        "fp32" => ScalarType.Float32,
        "bf16" => ScalarType.BFloat16,
        "auto" => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32,
        _ => throw new InputException($"runtime.precision '{precision}' is unknown; use auto, fp32 or bf16"),
    };

    /// <summary>The manifest's name of a compute dtype: fp32 or bf16.</summary>
    public static string PrecisionName(ScalarType type) => type == ScalarType.BFloat16 ? "bf16" : "fp32";

    public static string TorchSharpVersion => typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "";
    public static string LibTorchVersion => __version__;
}

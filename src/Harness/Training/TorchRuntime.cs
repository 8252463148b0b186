using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Process-wide torch settings that the determinism contract depends on: same seed and thread count give a
/// bitwise-identical CPU trajectory (1 and 2 threads differ, so the count is part of the scenario).
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

    public static string TorchSharpVersion => typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "";
    public static string LibTorchVersion => __version__;
}

using System.Diagnostics;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>The machine's practical fp32 peak: GFLOP/s of an n³ matmul (2·n³ FLOPs), best of a few runs.</summary>
public static class MatmulPeak
{
    public static double Gflops(int n = 2048, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = randn(n, n);
        var b = randn(n, n);
        a.matmul(b).Dispose(); // warm-up: first call allocates and picks kernels
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}

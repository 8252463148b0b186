using System.Text.Json.Serialization;
using Harness.Data.Tokenizers;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>What <c>harness bench</c> reports; JSON names are the snake_case of these.</summary>
public sealed record BenchResult
{
    public required string Preset { get; init; }
    public required int Threads { get; init; }
    /// <summary>Compute dtype of the training step and probe scoring: fp32 | bf16 (<c>runtime.precision</c>'s names).</summary>
    public string Precision { get; init; } = "fp32";
    public required double TrainStepMs { get; init; }
    public required double TrainStepMinMs { get; init; }
    public required double TrainTokensPerS { get; init; }
    public required double TrainGflops { get; init; }
    public required double MatmulPeakGflops { get; init; }
    /// <summary>Achieved over peak: <see cref="TrainGflops"/> / <see cref="MatmulPeakGflops"/>.</summary>
    public required double TrainMfu { get; init; }
    [JsonPropertyName("probe_scoring_ms_1800")] public required double ProbeScoringMs1800 { get; init; }
    [JsonPropertyName("naive_probe_scoring_ms_1800")] public required double? NaiveProbeScoringMs1800 { get; init; }
    public required double AnalysisSPaperSize { get; init; }
    /// <summary>Seconds to decide the paper's findings about that run by the cluster bootstrap (1,000 resamples).</summary>
    public required double FindingsSPaperSize { get; init; }
    /// <summary>1-minute load average when the bench ended (Linux): numbers taken at a load above the core count are contended.</summary>
    public double? LoadAverage { get; init; }
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;
}

/// <summary>Runs every timing of <c>harness bench</c> in one process.</summary>
public static class BenchSuite
{
    public static BenchResult Run(BenchPreset preset, int threads, int steps, bool naive = true, IProgress<string>? log = null,
        ScalarType compute = ScalarType.Float32)
    {
        log?.Report("matmul peak");
        double peak = MatmulPeak.Gflops();
        log?.Report($"training steps ({preset.Name})");
        var times = TrainStepBench.StepTimesMs(preset, steps, compute: compute);
        double step = TrainStepBench.Median(times);
        double gflops = preset.FlopsPerStep / step / 1e6;
        log?.Report("probe scoring");
        var tokenizer = WorldTokenizer.Create();
        var probes = ProbeScoringBench.PaperShapedProbes();
        using var model = ProbeScoringBench.Model(preset, tokenizer);
        model.ComputeType = compute;
        double batched = ProbeScoringBench.BatchedMs(model, tokenizer, probes, preset.SequenceLength, repeats: 5);
        double? naiveMs = null;
        if (naive)
        {
            log?.Report("naive probe scoring");
            naiveMs = ProbeScoringBench.NaiveMs(model, tokenizer, probes);
        }
        log?.Report("analysis of a paper-size run");
        var (analysis, findings) = AnalysisBench.Timed();
        return new BenchResult
        {
            Preset = preset.Name,
            Threads = threads,
            Precision = TorchRuntime.PrecisionName(compute),
            TrainStepMs = Math.Round(step, 1),
            TrainStepMinMs = Math.Round(times.Min(), 1),
            TrainTokensPerS = Math.Round(preset.TokensPerStep / (step / 1000)),
            TrainGflops = Math.Round(gflops, 1),
            MatmulPeakGflops = Math.Round(peak, 1),
            TrainMfu = Math.Round(gflops / peak, 3),
            ProbeScoringMs1800 = Math.Round(batched, 1),
            NaiveProbeScoringMs1800 = naiveMs is double n ? Math.Round(n, 1) : null,
            AnalysisSPaperSize = Math.Round(analysis, 2),
            FindingsSPaperSize = Math.Round(findings, 2),
            LoadAverage = LoadAverage(),
        };
    }

    private static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

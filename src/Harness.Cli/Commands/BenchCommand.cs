using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Harness.Benchmarks;
using Harness.Data.Tokenizers;
using Harness.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Harness.Cli.Commands;

/// <summary><c>harness bench</c>: training step, matmul peak, probe scoring and analysis timed in one process.</summary>
internal sealed class BenchCommand : Command<BenchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <NAME>")]
        [Description("model and batch to time: tiny (d128, 4 layers, batch 16 x 128) or small (d256, 6 layers)")]
        public string Preset { get; init; } = "tiny";

        [CommandOption("--threads <N>")]
        [Description("torch intra-op threads (0: torch's default)")]
        public int Threads { get; init; } = 2;

        [CommandOption("--steps <N>")]
        [Description("timed training steps (median reported)")]
        public int Steps { get; init; } = 20;

        [CommandOption("--precision <fp32|bf16>")]
        [Description("compute dtype of the training step and probe scoring (runtime.precision); on CPU bf16 checks the GPU path; whether it is faster depends on the CPU (docs/performance.md)")]
        public string Precision { get; init; } = "fp32";

        [CommandOption("--no-naive")]
        [Description("skip the one-forward-per-probe yardstick (several seconds)")]
        public bool NoNaive { get; init; }

        [CommandOption("--profile")]
        [Description("instead: the cost of each block of a training step, 1 against 2 threads, fp32 against bf16, probe chunk sizes")]
        public bool Profile { get; init; }

        [CommandOption("--schedule <RUN_DIR>")]
        [Description("instead: decay constants of an every-step run against its dense + log-spaced subset")]
        public string? Schedule { get; init; }

        [CommandOption("--dense <N>")]
        [Description("with --schedule: steps scored densely after each injection")]
        public int Dense { get; init; } = 10;

        [CommandOption("--per-decade <N>")]
        [Description("with --schedule: log-spaced points per decade afterwards")]
        public int PerDecade { get; init; } = 10;

        [CommandOption("--json")]
        [Description("print one JSON object instead of a table")]
        public bool Json { get; init; }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Steps < 1) throw new InputException("--steps must be at least 1");
        if (settings.Threads > 0) set_num_threads(settings.Threads);
        var preset = BenchPreset.Named(settings.Preset);
        if (settings.Profile) return Profile(preset, settings);
        if (settings.Schedule is { } runDir) return Schedule(runDir, settings);
        var log = settings.Json ? null : new Progress<string>(m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}…[/]"));
        var compute = TorchRuntime.ComputeType(settings.Precision, CPU);
        var r = BenchSuite.Run(preset, get_num_threads(), settings.Steps, !settings.NoNaive, log, compute);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(r, JsonOptions));
            return 0;
        }
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, double v, string format) => table.AddRow(name, double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture));
        Row($"train step, median ms ({r.Preset}, {r.Threads} threads, {r.Precision})", r.TrainStepMs, "F1");
        Row("train step, min ms", r.TrainStepMinMs, "F1");
        Row("train tokens/s", r.TrainTokensPerS, "F0");
        Row("train GFLOP/s", r.TrainGflops, "F1");
        Row("matmul peak GFLOP/s (2048³ fp32)", r.MatmulPeakGflops, "F1");
        Row("train MFU (train / peak)", r.TrainMfu, "P0");
        Row("1,800 probes, batched scorer, ms", r.ProbeScoringMs1800, "F1");
        Row("1,800 probes, one forward each, ms", r.NaiveProbeScoringMs1800 ?? double.NaN, "F0");
        Row("analysis of 2,501 steps × 1,800 probes, s", r.AnalysisSPaperSize, "F2");
        Row("findings on it, cluster bootstrap × 1,000, s", r.FindingsSPaperSize, "F2");
        Row("load average (1 min)", r.LoadAverage ?? double.NaN, "F2");
        AnsiConsole.Write(table);
        return 0;
    }

    private static int Schedule(string runDir, Settings settings)
    {
        var c = ScheduleComparison.Of(runDir, settings.Dense, settings.PerDecade);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                every_step_evaluations = c.EveryStepEvaluations, sparse_evaluations = c.SparseEvaluations,
                cost_ratio = Math.Round(c.CostRatio, 2), max_decay_difference = c.MaxDifference, decays = c.Decays,
            }, JsonOptions));
            return 0;
        }
        var table = new Table().AddColumn("group").AddColumn("depth").AddColumn("ℓ").AddColumn("a, every step").AddColumn("a, sparse");
        foreach (var d in c.Decays)
            table.AddRow(Markup.Escape(d.Group), d.Depth, d.Ell, d.EveryStep?.ToString("F4", CultureInfo.InvariantCulture) ?? "-", d.Sparse?.ToString("F4", CultureInfo.InvariantCulture) ?? "-");
        AnsiConsole.Write(table);
        Console.WriteLine($"evaluations: {c.EveryStepEvaluations} every step, {c.SparseEvaluations} sparse (cost / {c.CostRatio:F1}); largest |Δa| = {c.MaxDifference:F4}");
        return 0;
    }

    private static int Profile(BenchPreset preset, Settings settings)
    {
        var table = new Table().AddColumn("block (cumulative)").AddColumn("median ms").AddColumn("CPU ms");
        foreach (var (block, ms, cpu) in StepProfile.Measure(preset, settings.Steps))
            table.AddRow(Markup.Escape(block), ms.ToString("F1", CultureInfo.InvariantCulture), cpu.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        // 1 against 2 threads, in turns step by step so that the machine's load falls on both alike.
        var ab = TrainStepBench.Variants(preset, settings.Steps, [_ => set_num_threads(1), _ => set_num_threads(2)]);
        for (int i = 0; i < 2; i++)
            Console.WriteLine($"train step, {i + 1} thread(s): median {TrainStepBench.Median(ab[i]):F1} ms, min {ab[i].Min():F1} ms");
        if (settings.Threads > 0) set_num_threads(settings.Threads);
        // fp32 against bf16 compute (runtime.precision), in turns likewise.
        var precision = TrainStepBench.Variants(preset, settings.Steps, [m => m.ComputeType = ScalarType.Float32, m => m.ComputeType = ScalarType.BFloat16]);
        foreach (var (name, times) in new[] { ("fp32", precision[0]), ("bf16", precision[1]) })
            Console.WriteLine($"train step, {name} compute: median {TrainStepBench.Median(times):F1} ms, min {times.Min():F1} ms");
        var tokenizer = WorldTokenizer.Create();
        var probes = ProbeScoringBench.PaperShapedProbes();
        using var model = ProbeScoringBench.Model(preset, tokenizer);
        foreach (int chunk in new[] { 2048, 8192, 32768 })
            Console.WriteLine($"1,800 probes, {chunk} tokens per chunk: median {ProbeScoringBench.BatchedMs(model, tokenizer, probes, preset.SequenceLength, 5, chunk):F1} ms");
        return 0;
    }
}

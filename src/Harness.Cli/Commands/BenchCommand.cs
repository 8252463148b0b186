using System.ComponentModel;
using Harness.Benchmarks;
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

        [CommandOption("--profile")]
        [Description("print the cost of each block of a training step instead")]
        public bool Profile { get; init; }

        [CommandOption("--json")]
        [Description("print one JSON object instead of a table")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads > 0) set_num_threads(settings.Threads);
        var preset = BenchPreset.Named(settings.Preset);
        if (settings.Profile)
        {
            var table = new Table().AddColumn("block (cumulative)").AddColumn("median ms").AddColumn("CPU ms");
            foreach (var (block, ms, cpu) in StepProfile.Measure(preset, settings.Steps))
                table.AddRow(Markup.Escape(block), ms.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), cpu.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            // 1 against 2 threads, in turns step by step so that the machine's load falls on both alike.
            var ab = TrainStepBench.Variants(preset, settings.Steps, [_ => set_num_threads(1), _ => set_num_threads(2)]);
            for (int i = 0; i < 2; i++)
                Console.WriteLine($"train step, {i + 1} thread(s): median {TrainStepBench.Median(ab[i]):F1} ms, min {ab[i].Min():F1} ms");
            return 0;
        }
        var peak = MatmulPeak.Gflops();
        var times = TrainStepBench.StepTimesMs(preset, settings.Steps);
        var step = TrainStepBench.Median(times);
        Console.WriteLine($"peak {peak:F1} GFLOP/s; train step median {step:F1} ms min {times.Min():F1} ms, {preset.FlopsPerStep / step / 1e6:F1} GFLOP/s");
        return 0;
    }
}

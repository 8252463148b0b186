using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>Every <c>harness</c> verb, one line each; each command lives in its own file.</summary>
internal static class CommandRegistry
{
    public static void Register(IConfigurator config)
    {
        config.AddCommand<RunCommand>("run").WithDescription("Train, inject and score a scenario; write and analyse its run directory (--resume continues a stopped run).");
        config.AddCommand<PretrainCommand>("pretrain").WithDescription("Build the built-in tiny checkpoints into the cache, or your own recipe: pretrain recipe.yaml --out DIR (a stage per folder; --resume continues a stopped build).");
        config.AddCommand<ValidateCommand>("validate").WithDescription("Check a scenario file; exit 2 with file:line:column on a mistake.");
        config.AddCommand<PlanCommand>("plan").WithDescription("Print the compiled injection and evaluation plan of a scenario (--json: machine-readable).");
        config.AddCommand<AnalyzeCommand>("analyze").WithDescription("Derive metrics.json, tables and plots from a run directory");
        config.AddCommand<ReportCommand>("report").WithDescription("Set several analysed runs side by side in one table and figure");
        config.AddCommand<CheckCommand>("check").WithDescription("Decide a scenario's expect block on the runs harness run wrote for it (exit 1 when a finding fails).");
        config.AddCommand<SubmitCommand>("submit").WithDescription("Run a scenario's cells on a cluster: one Slurm job array, a task per cell, and a check job after it (--dry-run: print the scripts).");
        config.AddCommand<StatusCommand>("status").WithDescription("Per cell of the last submit from an output root: its array task, Slurm state, last logged update and log.");
        config.AddCommand<BenchCommand>("bench").WithDescription("Time the training step, the matmul peak, probe scoring and analysis (--json: one object).");
        config.AddCommand<TokenizeCommand>("tokenize").WithDescription("Print the token ids of each line (a JSON string) of a file.");
    }
}

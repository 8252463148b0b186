using Harness.Runs;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>The live display of <c>harness run</c> and <c>harness pretrain</c>: a bar per phase with its loss, log lines above.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with a log and a progress sink that draw on the console.</summary>
    public static void Show(Action<IProgress<string>, IProgress<RunProgress>> work) =>
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SynchronousProgress<RunProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Phase, out var task))
                        tasks[p.Phase] = task = ctx.AddTask(p.Phase, maxValue: p.Total);
                    task.Value = p.Step;
                    task.Description = $"{p.Phase} loss {p.Loss:F3}";
                });
                var log = new SynchronousProgress<string>(m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"));
                work(log, progress);
            });
}

/// <summary>Reports on the caller's thread: the training loop owns native state that must not be touched from the thread pool.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>
/// Ctrl+C and every signal that asks a process to end (SIGTERM, SIGHUP, SIGQUIT) cancel <see cref="Token"/>: training
/// (<c>harness run</c>, <c>harness pretrain recipe.yaml</c>) stops at the next update with a resumable checkpoint.
/// SIGKILL cannot be caught: the work then resumes from its last periodic checkpoint.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly List<PosixSignalRegistration> signals;
    private readonly ConsoleCancelEventHandler onCancelKey;

    public CancellationToken Token => cts.Token;

    public StopSignals(CancellationToken cancellation)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        onCancelKey = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancelKey;
        signals = new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(sig => PosixSignalRegistration.Create(sig, c => { c.Cancel = true; cts.Cancel(); })).ToList();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= onCancelKey;
        signals.ForEach(s => s.Dispose());
        cts.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace Harness.Tests.Support;

/// <summary>
/// A <c>harness</c> child process that a test watches while it runs and sends signals to: wait for a condition, pause
/// it between two writes, interrupt or kill it. Disposing kills it if it still runs.
/// </summary>
internal sealed class RunningHarness : IDisposable
{
    // Linux signal numbers (the same on x86-64 and arm64).
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19;

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly Task<string> stdout, stderr;
    private bool disposed;

    private RunningHarness(Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public static RunningHarness Start(params string[] args) => new(Process.Start(HarnessProcess.StartInfo(args))!);

    public static int SignalNumber(string name) => name switch
    {
        "SIGHUP" => SIGHUP, "SIGINT" => SIGINT, "SIGQUIT" => SIGQUIT, "SIGKILL" => SIGKILL, "SIGTERM" => SIGTERM,
        _ => throw new ArgumentException(name),
    };

    public bool HasExited => process.HasExited;

    public void Signal(int signal)
    {
        if (Kill(process.Id, signal) != 0) Assert.Fail($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Whether the process ignores <paramref name="signal"/>: a child inherits ignored signals, and a shell starts its
    /// background jobs with SIGINT and SIGQUIT ignored, which .NET then leaves so.
    /// </summary>
    public bool Ignores(int signal)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (mask & (1UL << (signal - 1))) != 0;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails if the process ends first or it takes too long.</summary>
    public void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited) Assert.Fail($"harness exited ({process.ExitCode}) before {what}: {Output()}");
            if (clock.Elapsed > Patience) Assert.Fail($"no {what} within {Patience.TotalSeconds} s");
            Thread.Sleep(1);
        }
    }

    /// <summary>Stops the process (SIGSTOP) and waits until every thread of it has stopped.</summary>
    public void Pause()
    {
        Signal(SIGSTOP);
        WaitUntil(() => State() == 'T', "the pause (SIGSTOP)");
    }

    public void Continue() => Signal(SIGCONT);

    private char State()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    /// <summary>Waits for the process to end: its exit code and everything it wrote.</summary>
    public (int ExitCode, string Output) Exit()
    {
        if (!process.WaitForExit(Patience)) Assert.Fail($"harness did not exit within {Patience.TotalSeconds} s");
        process.WaitForExit();
        return (process.ExitCode, Output());
    }

    private string Output() => process.HasExited ? stdout.Result + stderr.Result : "(still running)";

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited)
        {
            Kill(process.Id, SIGKILL);
            process.WaitForExit();
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

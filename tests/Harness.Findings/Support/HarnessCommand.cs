using System.Diagnostics;
using System.Runtime.InteropServices;
using Harness.Tests.Support;

namespace Harness.Findings.Support;

/// <summary>
/// <c>harness &lt;args&gt;</c> as a child process, the CLI built beside these tests (a project reference copies it
/// here). Each findings run gets a process of its own: TorchSharp hands native calls temporary <c>Scalar</c>s that only
/// a finalizer frees, so in a process where one thread allocates while another is inside libtorch, a garbage
/// collection can free an argument in flight (an addition's alpha then reads freed memory). One run per process also
/// gives each its own libtorch thread count and seed, exactly as a researcher's <c>harness run</c> would.
/// </summary>
internal static class HarnessCommand
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");

    private const string Nice = "/usr/bin/nice";

    /// <summary>
    /// Runs to the end with output in <paramref name="logFile"/>; a non-zero exit throws with the log's tail.
    /// <paramref name="niceness"/> lowers its CPU priority (where <c>nice</c> exists), so that the run others wait for
    /// goes first; priority changes no result.
    /// </summary>
    public static void Run(IReadOnlyList<string> args, string logFile, CancellationToken cancel, int niceness = 0)
    {
        if (!File.Exists(Cli)) throw new InvalidOperationException($"the harness CLI is missing beside the tests: {Cli}");
        string[] command = ["exec", Cli, .. args];
        var start = niceness > 0 && File.Exists(Nice)
            ? new ProcessStartInfo(Nice, ["-n", niceness.ToString(System.Globalization.CultureInfo.InvariantCulture), DotnetHost(), .. command])
            : new ProcessStartInfo(DotnetHost(), command);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Repository.Root;
        start.Environment["NO_COLOR"] = "1"; // a log file, not a terminal
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        using var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        using var process = new Process { StartInfo = start };
        var tail = new Queue<string>();
        DataReceivedEventHandler write = (_, e) =>
        {
            if (e.Data is null) return;
            lock (log)
            {
                log.WriteLine(e.Data);
                tail.Enqueue(e.Data);
                if (tail.Count > 15) tail.Dequeue();
            }
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancel.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            process.WaitForExit(); // also waits for the output handlers to drain
        cancel.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            lock (log)
                throw new InvalidOperationException($"harness {string.Join(' ', args)} exited {process.ExitCode} (log: {logFile}):\n{string.Join("\n", tail)}");
    }

    /// <summary>The dotnet host running these tests: .../shared/Microsoft.NETCore.App/&lt;version&gt;/ sits three levels below it.</summary>
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}

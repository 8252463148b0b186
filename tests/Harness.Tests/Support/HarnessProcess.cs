using System.Diagnostics;
using NUnit.Framework;

namespace Harness.Tests.Support;

/// <summary>The <c>harness</c> command run as a user runs it: a child process, its exit code and its output.</summary>
internal static class HarnessProcess
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Harness.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = "400"; // Spectre wraps at 80 columns when output is not a terminal
        return start;
    }

    /// <summary>The exit code and what the command printed on stdout and stderr, in that order.</summary>
    public static (int Code, string Output) RunJoined(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        return (code, stdout + stderr);
    }

    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

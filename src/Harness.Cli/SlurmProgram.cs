using System.ComponentModel;
using System.Diagnostics;

namespace Harness.Cli;

/// <summary>What one Slurm command printed and returned.</summary>
internal sealed record SlurmOutput(int ExitCode, string Out, string Err)
{
    /// <summary>The first line of stderr (or stdout), for a message.</summary>
    public string FirstLine => (Err.Length > 0 ? Err : Out).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? $"exit {ExitCode}";
}

/// <summary>
/// Runs sbatch, squeue, sacct and scontrol as child processes. A command missing from PATH is an
/// <see cref="InputException"/> naming the fix, and one that does not answer (slurmctld down) ends after a minute.
/// </summary>
internal static class SlurmProgram
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    public static bool IsInstalled(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    public static SlurmOutput Run(string program, IEnumerable<string> arguments)
    {
        if (!IsInstalled(program)) throw new InputException(Missing(program));
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InputException($"{program} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InputException($"{program} did not start ({e.Message}). {Missing(program)}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                throw new InputException($"{program} did not answer within {Patience.TotalSeconds:F0} s; is slurmctld up (sinfo, scontrol ping)?");
            }
            return new SlurmOutput(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    static string Missing(string program) =>
        $"{program} not found on PATH: run harness on a Slurm login node, where the Slurm commands are installed (on many clusters "
        + "after `module load slurm`), or add the folder that holds them to PATH; harness submit --dry-run prints the scripts without Slurm";
}

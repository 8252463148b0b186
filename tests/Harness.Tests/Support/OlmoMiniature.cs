using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace Harness.Tests.Support;

/// <summary>
/// The miniature OLMo run of <c>tests/fixtures/olmo/make_miniature.py</c>: a few-layer random OLMo in OLMo's own
/// checkpoint format (model.pt, optim.pt, train.pt, config.yaml) at three steps, OLMo's data order
/// (global_indices.npy and headerless token files) and expected.json, what OLMo would do, computed in Python. Generated
/// once per test run with Debian's python3-torch and python3-numpy, which this installs with apt-get when missing and
/// the tests run as root; the tests that need it are ignored, with the reason, where that is impossible.
/// </summary>
internal static class OlmoMiniature
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<(string? Folder, string Reason)> Built = new(Build);

    /// <summary>The fixture's folder, or <see cref="Assert.Ignore(string)"/> with the reason it could not be made.</summary>
    public static string Folder
    {
        get
        {
            var (folder, reason) = Built.Value;
            if (folder is null) Assert.Ignore(reason);
            return folder!;
        }
    }

    public static JsonElement Expected => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json"))).RootElement;

    /// <summary>The checkpoint folder of a stage (early, mid, late).</summary>
    public static string Checkpoint(string stage) =>
        Path.Combine(Folder, Expected.GetProperty("checkpoints").GetProperty(stage).GetProperty("folder").GetString()!);

    private static (string?, string) Build()
    {
        if (!HasTorch())
        {
            if (!File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
                return (null, "python3-torch is not installed and cannot be installed here (needs Debian's apt-get, as root)");
            var (rc, output) = Run("/bin/sh", "-c \"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy " +
                                                "|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy)\"");
            if (rc != 0 || !HasTorch()) return (null, $"installing python3-torch with apt-get failed: {Tail(output)}");
        }
        var folder = Path.Combine(Path.GetTempPath(), $"harness-olmo-miniature-{Environment.ProcessId}");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        var script = Path.Combine(Repository.Root, "tests", "fixtures", "olmo", "make_miniature.py");
        var (code, log) = Run(Python, $"\"{script}\" \"{folder}\"");
        if (code != 0) Assert.Fail($"{script} failed:\n{log}");
        return (folder, "");
    }

    private static bool HasTorch() => File.Exists(Python) && Run(Python, "-c \"import torch, numpy\"").Code == 0;

    private static string Tail(string s) => s.Length <= 2000 ? s : s[^2000..];

    private static (int Code, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}

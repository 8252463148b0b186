using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Harness.Tests.Build;

/// <summary>
/// build/LibTorchSharpGlibcxx.targets on a fixture shaped like TorchSharp's libLibTorchSharp.so:
/// needs-glibcxx-3.4.32.so (made by make-glibcxx-fixture.sh beside this file) requires libstdc++.so.6 at GLIBCXX_3.4
/// and GLIBCXX_3.4.32 and libc.so.6 at GLIBC_2.2.5. One MSBuild process runs the file's own target on copies of it,
/// with stand-ins for the system libstdc++ that lack or provide GLIBCXX_3.4.32; <c>readelf -V</c> reads the results.
/// </summary>
[TestFixture]
public class LibTorchSharpGlibcxxTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Library = "libLibTorchSharp.so";

    private string dir = "";
    private string readelf = "";
    private string fixture = "";
    private string msbuildLog = "";
    private static readonly DateTime Untouched = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string Copy(string folder) => Path.Combine(dir, folder, Library);

    [OneTimeSetUp]
    public void RunTheTarget()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("ELF version requirements and libstdc++ are Linux matters");
        readelf = OnPath("readelf") ?? "";
        if (readelf == "") Assert.Ignore("readelf (binutils) is not installed, and it is the independent reader of the result");
        var root = RepositoryRoot();
        fixture = Path.Combine(root, "tests", "Harness.Tests", "Build", "needs-glibcxx-3.4.32.so");
        var targets = Path.Combine(root, "build", "LibTorchSharpGlibcxx.targets");

        dir = Path.Combine(Path.GetTempPath(), "glibcxx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        // The task only asks whether the system library names the version, so a stand-in is a file of version names.
        var lacks = Path.Combine(dir, "lacks", "libstdc++.so.6");
        var provides = Path.Combine(dir, "provides", "libstdc++.so.6");
        Directory.CreateDirectory(Path.GetDirectoryName(lacks)!);
        Directory.CreateDirectory(Path.GetDirectoryName(provides)!);
        File.WriteAllBytes(lacks, Encoding.ASCII.GetBytes("GLIBCXX_3.4\0GLIBCXX_3.4.30\0"));
        File.WriteAllBytes(provides, Encoding.ASCII.GetBytes("GLIBCXX_3.4\0GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0"));
        foreach (var folder in new[] { "weakened", "kept", "twice" })
        {
            Directory.CreateDirectory(Path.Combine(dir, folder));
            File.Copy(fixture, Copy(folder));
        }
        File.SetLastWriteTimeUtc(Copy("kept"), Untouched);

        // The target as the build runs it, once per output folder; "twice" gets a second pass (another global
        // property makes it another project instance, so MSBuild runs the target again).
        string Call(string folder, string system, string pass) =>
            $"""    <MSBuild Projects="$(MSBuildProjectFullPath)" Targets="WeakenLibTorchSharpGlibcxx" Properties="OutDir={Path.Combine(dir, folder)}/;LibTorchSharpSystemLibstdcxx={system};Pass={pass}" />""";
        var project = Path.Combine(dir, "patch.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{targets}" />
              <Target Name="All">
            {Call("weakened", lacks, "1")}
            {Call("kept", provides, "1")}
            {Call("twice", lacks, "1")}
            {Call("twice", lacks, "2")}
              </Target>
            </Project>
            """);
        var (exit, output) = Dotnet("msbuild", project, "-t:All", "-nologo", "-v:m", "-tl:off", "-nodeReuse:false", "-noAutoResponse");
        msbuildLog = output;
        Assert.That(exit, Is.Zero, output);
    }

    [OneTimeTearDown]
    public void RemoveDir()
    {
        if (dir != "" && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void TheFixtureRequiresTheVersionStrongly()
    {
        var needs = Needs(fixture);
        Assert.That(needs, Has.Some.EqualTo(new Need("libstdc++.so.6", Version, "none")));
        Assert.That(needs.Select(n => n.Name), Is.SupersetOf(new[] { "GLIBCXX_3.4", "GLIBC_2.2.5" }));
    }

    [Test]
    public void WhereTheSystemLacksIt_OnlyThatRequirementBecomesWeak()
    {
        var before = Needs(fixture);
        var after = Needs(Copy("weakened"));
        Assert.That(after, Is.EqualTo(before.Select(n => n.Name == Version ? n with { Flags = "WEAK" } : n).ToList()));

        // Nothing else of the file changes: one byte, the low byte of that entry's vna_flags, gains VER_FLG_WEAK (0x2).
        var original = File.ReadAllBytes(fixture);
        var patched = File.ReadAllBytes(Copy("weakened"));
        Assert.That(patched, Has.Length.EqualTo(original.Length));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.That(changed, Has.Count.EqualTo(1));
        Assert.That(patched[changed[0]], Is.EqualTo(original[changed[0]] | 0x2));
        Assert.That(msbuildLog, Does.Contain($"Marked {Version} weak in {Copy("weakened")}"));
    }

    [Test]
    public void WhereTheSystemProvidesIt_TheFileIsNotWritten()
    {
        Assert.That(File.ReadAllBytes(Copy("kept")), Is.EqualTo(File.ReadAllBytes(fixture)));
        Assert.That(File.GetLastWriteTimeUtc(Copy("kept")), Is.EqualTo(Untouched));
        Assert.That(msbuildLog, Does.Not.Contain(Copy("kept")));
    }

    [Test]
    public void ASecondPassLeavesTheWeakEntryAlone()
    {
        Assert.That(File.ReadAllBytes(Copy("twice")), Is.EqualTo(File.ReadAllBytes(Copy("weakened"))));
        var marks = Regex.Matches(msbuildLog, Regex.Escape($"Marked {Version} weak in {Copy("twice")}")).Count;
        Assert.That(marks, Is.EqualTo(1), msbuildLog);
    }

    [Test]
    public void TheWeakenedCopyLoadsWhereTheUnpatchedOneCannot()
    {
        // Unpatched first: the loader matches loaded libraries by soname, and both copies share one.
        var error = LoadError(fixture);
        if (error is null) Assert.Ignore($"this machine's libstdc++ provides {Version}: both copies load, nothing to tell apart");
        Assert.That(error, Does.Contain(Version));
        Assert.That(LoadError(Copy("weakened")), Is.Null);
    }

    [Test]
    public void TheBuildPatchesItsOwnOutputCopyOnlyWhereNeeded()
    {
        var own = Path.Combine(TestContext.CurrentContext.TestDirectory, Library);
        if (!File.Exists(own)) Assert.Ignore($"no {Library} beside the tests");
        var systemLacks = LoadError(fixture) is not null;
        Assert.That(Needs(own).Single(n => n.Name == Version).Flags, Is.EqualTo(systemLacks ? "WEAK" : "none"));

        // The NuGet cache's copy is never patched.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var torchsharp = Path.Combine(cache, "torchsharp");
        var cached = Directory.Exists(torchsharp)
            ? Directory.GetFiles(torchsharp, Library, SearchOption.AllDirectories)
            : [];
        foreach (var original in cached)
            Assert.That(Needs(original).Single(n => n.Name == Version).Flags, Is.EqualTo("none"), original);
    }

    /// <summary>One vernaux entry of <c>.gnu.version_r</c> as <c>readelf -V</c> prints it.</summary>
    private sealed record Need(string File, string Name, string Flags);

    private List<Need> Needs(string path)
    {
        var (exit, output) = Run(readelf, "-V", path);
        Assert.That(exit, Is.Zero, output);
        var section = output[output.IndexOf(".gnu.version_r", StringComparison.Ordinal)..];
        var needs = new List<Need>();
        var file = "";
        foreach (var line in section.Split('\n'))
        {
            var f = Regex.Match(line, @"File: (\S+)");
            if (f.Success) { file = f.Groups[1].Value; continue; }
            var n = Regex.Match(line, @"Name: (\S+)\s+Flags: (\S+)");
            if (n.Success) needs.Add(new Need(file, n.Groups[1].Value, n.Groups[2].Value));
        }
        Assert.That(needs, Is.Not.Empty, output);
        return needs;
    }

    /// <summary>dlopen's error for <paramref name="path"/>, or null when it loads (it is unloaded again).</summary>
    private static string? LoadError(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
    }

    private static (int Exit, string Output) Dotnet(params string[] args)
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return Run(File.Exists(host) ? host : "dotnet", args);
    }

    private static (int Exit, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C";
        // The test host inherits the variables of the MSBuild that started it; a child MSBuild must find its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Harness.sln"))) return d.FullName;
        throw new InvalidOperationException("Harness.sln not found above the test directory");
    }
}

using System.Diagnostics;
using NUnit.Framework;

namespace Harness.Tests.Support;

/// <summary>
/// A tmpfs of a chosen size mounted for one test, unmounted on dispose: a disk that is full where the test says. tmpfs
/// counts whole pages of file data (directories cost nothing), so sizes here are in pages. Mounting needs root; without
/// it, or where mounting is refused, the test is skipped with the reason.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    public const int Page = 4096;

    public string Path { get; }

    /// <summary>Takes up free space; it lies beside, not in, the run directories on the disk.</summary>
    private string Filler => System.IO.Path.Combine(Path, ".filler");

    private SmallDisk(string path) => Path = path;

    public static SmallDisk Mount(string path, long pages)
    {
        if (!Environment.IsPrivilegedProcess) Assert.Ignore("a full disk is simulated with a small tmpfs, and mounting one needs root");
        Directory.CreateDirectory(path);
        var (code, output) = Exec("mount", "-t", "tmpfs", "-o", $"size={pages * Page}", "tmpfs", path);
        if (code != 0) Assert.Ignore($"a full disk is simulated with a small tmpfs, and mounting one at {path} failed: {output.Trim()}");
        return new SmallDisk(path);
    }

    public static long Pages(long bytes) => (bytes + Page - 1) / Page;

    /// <summary>Pages that the files under <paramref name="dir"/> take up.</summary>
    public static long PagesOf(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => Pages(new FileInfo(f).Length));

    public long FreePages => new DriveInfo(Path).AvailableFreeSpace / Page;

    /// <summary>Grows (or shrinks, down to what it holds) the disk to <paramref name="pages"/>.</summary>
    public void Resize(long pages)
    {
        var (code, output) = Exec("mount", "-o", $"remount,size={pages * Page}", Path);
        Assert.That(code, Is.EqualTo(0), $"remounting {Path}: {output}");
    }

    /// <summary>Fills the disk until <paramref name="pages"/> pages are left free.</summary>
    public void FillLeaving(long pages)
    {
        var fill = (FreePages - pages) * Page;
        Assert.That(fill, Is.GreaterThanOrEqualTo(0), $"{Path} has only {FreePages} pages free, not {pages}");
        var zeros = new byte[1 << 16];
        using var f = new FileStream(Filler, FileMode.Append, FileAccess.Write);
        for (long left = fill; left > 0; left -= zeros.Length) f.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
    }

    /// <summary>Frees what <see cref="FillLeaving"/> took.</summary>
    public void Unfill() => File.Delete(Filler);

    public void Dispose()
    {
        if (Exec("umount", Path).Code != 0) Exec("umount", "-l", Path); // busy (a test failed with a file open): detach
    }

    private static (int Code, string Output) Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }
}

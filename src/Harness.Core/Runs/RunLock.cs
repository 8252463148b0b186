using System.Diagnostics;
using System.Text.Json;

namespace Harness.Runs;

/// <summary>
/// <c>.harness.lock</c> in a run directory: one process writes a run at a time. The lock names its process (host, pid,
/// start time), so a lock left by a killed process is recognised as stale and taken over; a lock of another host is
/// never taken over, since its process cannot be seen from here.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".harness.lock";

    private sealed record Holder(string Host, int Pid, long StartedTicks);

    private readonly string path;
    private FileStream? file;

    private RunLock(string path, FileStream file) => (this.path, this.file) = (path, file);

    public static RunLock Acquire(string root)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, FileName);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                JsonSerializer.Serialize(stream, Self(), RunManifest.Json);
                stream.Flush(flushToDisk: true);
                return new RunLock(path, stream);
            }
            catch (IOException) when (File.Exists(path) && attempt < 3)
            {
                var holder = Read(path);
                if (holder is not null && !IsStale(holder))
                    throw new InputException(holder.Host == Environment.MachineName
                        ? $"{root}: another harness process (pid {holder.Pid}) is writing this run directory; wait for it to finish or stop it, or choose another --out"
                        : $"{root}: a harness process on host {holder.Host} (pid {holder.Pid}) holds {FileName}; if no run is going on there, delete {path}");
                // A lock of a process that no longer runs (killed, crashed): take it over.
                try { File.Delete(path); } catch (IOException) { }
            }
        }
    }

    private static Holder Self()
    {
        using var me = Process.GetCurrentProcess();
        return new Holder(Environment.MachineName, me.Id, me.StartTime.ToUniversalTime().Ticks);
    }

    private static Holder? Read(string path)
    {
        try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(path), RunManifest.Json); }
        catch (Exception e) when (e is JsonException or IOException) { return null; } // half-written by a killed process: stale
    }

    private static bool IsStale(Holder h)
    {
        if (h.Host != Environment.MachineName) return false;
        if (IsZombie(h.Pid)) return true;
        try
        {
            using var p = Process.GetProcessById(h.Pid);
            // A reused pid belongs to a process that started later than the lock's.
            return p.HasExited || Math.Abs(p.StartTime.ToUniversalTime().Ticks - h.StartedTicks) > TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>A killed process whose parent has not reaped it yet still has a pid, but runs no more.</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is 'Z' or 'X';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    public void Dispose()
    {
        if (file is null) return;
        file.Dispose();
        file = null;
        try { File.Delete(path); } catch (IOException) { }
    }
}

namespace Harness;

/// <summary>
/// A folder the harness writes into (a run directory, a report's <c>--out</c>), made ready before any work: created, and
/// written to once, or an <see cref="InputException"/> saying why not (a file of that name, a read-only file system, no
/// permission) instead of a failure after the work.
/// </summary>
public static class OutputFolder
{
    /// <returns>The folder's full path.</returns>
    public static string Prepare(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new InputException($"{full}: the {what} is a file, not a folder. fix: give a folder path, or move the file away");
        try
        {
            Directory.CreateDirectory(full);
            // An existing folder on a read-only file system is "created" without error; only a write tells.
            var probe = Path.Combine(full, $".harness-write-check-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{full}: cannot write the {what} there ({e.Message}). fix: give a folder on a writable file system", e);
        }
        return full;
    }
}

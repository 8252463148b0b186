using System.Security.Cryptography;

namespace Harness.Runs;

/// <summary>One input a run read (checkpoint, tokenizer, corpus, knowledge), as the scenario named it, and its fingerprint.</summary>
public sealed record ManifestInput(string Role, string Spec, string Fingerprint);

/// <summary>
/// A content fingerprint of an input file or folder that costs the same for a 28 GB checkpoint as for a tokenizer: the
/// size, plus SHA-256 of the whole file up to 2 MiB, or of its first and last MiB beyond that. A folder combines its
/// files' fingerprints by name. Built-in inputs are fingerprinted by their name and version.
/// </summary>
public static class InputFingerprint
{
    private const int Edge = 1 << 20;

    public static string Of(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.GetFiles(path).Order(StringComparer.Ordinal))
                Add(sha, $"{Path.GetFileName(file)}={File(file)}\n");
        }
        else Add(sha, File(path));
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant()[..16];
    }

    public static string OfBuiltin(string name, string version) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{name}@{version}"))).ToLowerInvariant()[..16];

    private static string File(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long n = s.Length;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Edge];
        if (n <= 2 * Edge) Read(s, sha, buffer, n);
        else
        {
            Read(s, sha, buffer, Edge);
            s.Seek(-Edge, SeekOrigin.End);
            Read(s, sha, buffer, Edge);
        }
        return $"{n}:{Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant()}";
    }

    private static void Read(Stream s, IncrementalHash sha, byte[] buffer, long count)
    {
        while (count > 0)
        {
            int got = s.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (got == 0) break;
            sha.AppendData(buffer, 0, got);
            count -= got;
        }
    }

    private static void Add(IncrementalHash sha, string text) => sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
}

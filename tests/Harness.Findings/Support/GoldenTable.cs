using NUnit.Framework;

namespace Harness.Findings;

/// <summary>
/// A reviewed table under goldens/: a missing or different one fails and leaves <c>name.received.md</c> beside
/// <c>name.approved.md</c>; accepting a change after reading the diff is renaming the file.
/// </summary>
internal static class GoldenTable
{
    public static void Verify(string name, string text)
    {
        var approved = Path.Combine(RepositoryPaths.Root, "goldens", name + ".approved.md");
        var received = Path.Combine(RepositoryPaths.Root, "goldens", name + ".received.md");
        text = text.ReplaceLineEndings("\n");
        if (File.Exists(approved) && File.ReadAllText(approved).ReplaceLineEndings("\n") == text)
        {
            File.Delete(received);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, text);
        Assert.Fail(File.Exists(approved)
            ? $"the results differ from {approved}; diff it against {received} and rename that file if the change is intended"
            : $"no golden yet: review {received} and rename it to {Path.GetFileName(approved)}");
    }
}

using NUnit.Framework;

namespace Harness.Tests.Tokenizers;

/// <summary>The repository root (the folder holding Harness.sln) and the shared data folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestData(string name) => Path.Combine(Root, "tests", "Harness.Tests", "Data", "Tokenizers", "Data", name);

    /// <summary>A file under ../shared/data, or Assert.Ignore when the shared data is not on this machine.</summary>
    public static string SharedOrIgnore(string relative)
    {
        var path = Path.Combine(Path.GetDirectoryName(Root)!, "shared", "data", relative);
        if (!File.Exists(path)) Assert.Ignore($"shared data file {path} is absent on this machine");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException("Harness.sln not found above the test directory");
    }
}

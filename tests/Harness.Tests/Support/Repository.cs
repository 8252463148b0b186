using NUnit.Framework;

namespace Harness.Tests.Support;

/// <summary>
/// The repository the tests run from (the folder holding Harness.sln, found above the test assembly) and the shared
/// data folder beside it (<c>../shared/data</c>), which not every machine has.
/// </summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's scenarios/ folder.</summary>
    public static string Scenarios => Path.Combine(Root, "scenarios");

    /// <summary>The repository's goldens/ folder: reviewed snapshots (see <see cref="GoldenFiles"/>).</summary>
    public static string Goldens => Path.Combine(Root, "goldens");

    /// <summary>Where a file under <c>../shared/data</c> would be; it may be absent.</summary>
    public static string Shared(string relative) => Path.Combine(Path.GetDirectoryName(Root)!, "shared", "data", relative);

    /// <summary>A file under <c>../shared/data</c>, or <see cref="Assert.Ignore(string)"/> with the reason when it is absent.</summary>
    public static string SharedOrIgnore(string relative)
    {
        var path = Shared(relative);
        if (!File.Exists(path)) Assert.Ignore($"{path} is absent: the shared data (../shared/data beside the repository) is not on this machine");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}");
    }
}

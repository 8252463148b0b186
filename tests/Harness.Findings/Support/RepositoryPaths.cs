using NUnit.Framework;
namespace Harness.Findings;

/// <summary>Where the repository's scenarios are, found from the test's own folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Harness.sln"))) return d.FullName;
        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The scenarios whose <c>expect</c> blocks are asserted on CPU: the quickstart and scenarios/tiny (not its pretraining recipes).</summary>
    public static IEnumerable<string> FindingScenarios()
    {
        yield return Path.Combine(Root, "scenarios", "quickstart.yaml");
        var tiny = Path.Combine(Root, "scenarios", "tiny");
        foreach (var f in Directory.GetFiles(tiny, "*.yaml").Where(f => !Path.GetFileName(f).StartsWith("pretrain", StringComparison.Ordinal)).Order())
            yield return f;
    }
}

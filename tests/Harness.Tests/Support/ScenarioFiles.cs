using NUnit.Framework;
namespace Harness.Tests.Scenarios;

/// <summary>Scenario files for tests: a fresh temp folder per test, and the copied fixtures.</summary>
internal sealed class ScenarioFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("scenario-tests-").FullName;

    public string Write(string name, string yaml)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string InvalidDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "Scenarios", "Invalid");

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Harness.sln not found above the test directory");
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

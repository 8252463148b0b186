using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

/// <summary>
/// Snapshot checks against goldens/ at the top of the repository: a missing golden fails, a mismatch leaves
/// <c>name.received.ext</c> beside <c>name.approved.ext</c> to diff, and accepting a change is renaming the file.
/// </summary>
public static class GoldenFiles
{
    public static string RepoRoot
    {
        get
        {
            var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "Harness.sln"))) d = d.Parent;
            return d?.FullName ?? throw new InvalidOperationException("Harness.sln not found above the test directory");
        }
    }

    public static string Dir => Path.Combine(RepoRoot, "goldens");

    public static void Verify(string name, string text, string extension) =>
        Approvals.Verify(WriterFactory.CreateTextWriter(text, extension), new Namer(name), QuietReporter.INSTANCE);

    private sealed class Namer(string name) : IApprovalNamer
    {
        public string SourcePath => Dir;
        public string Name => name;
    }
}

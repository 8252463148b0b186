using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;

namespace Harness.Tests.Support;

/// <summary>
/// Snapshot checks against goldens/ at the top of the repository: a missing golden fails, a mismatch leaves
/// <c>name.received.ext</c> beside <c>name.approved.ext</c> to diff, and accepting a change is renaming the file.
/// A name may hold a subfolder of goldens/ (<c>tiny/quickstart</c>).
/// </summary>
internal static class GoldenFiles
{
    public static void Verify(string name, string text, string extension) =>
        Approvals.Verify(WriterFactory.CreateTextWriter(text, extension), new Namer(name), QuietReporter.INSTANCE);

    private sealed class Namer(string name) : IApprovalNamer
    {
        public string SourcePath => Repository.Goldens;
        public string Name => name;
    }
}

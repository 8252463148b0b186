using Harness.Analysis;
using Harness.Reporting;
using Harness.Tests.Reporting;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary><c>harness analyze</c> and <c>harness report</c> through the CLI's entry point, in this process.</summary>
public class ReportCommandTests
{
    [Test]
    public void Report_command_sets_runs_side_by_side()
    {
        using var root = new TempFolder();
        SyntheticRun.Write(root.File("a"), GoldenTests.SmallRun("early"));
        SyntheticRun.Write(root.File("b"), GoldenTests.SmallRun("late"));
        var entry = System.Reflection.Assembly.Load("Harness.Cli").EntryPoint!;
        Assert.That(entry.Invoke(null, [new[] { "analyze", root.File("a"), "--no-plots" }]), Is.EqualTo(0));
        Assert.That(File.Exists(Path.Combine(root.Path, "a", MetricsJson.FileName)), Is.True);
        var code = entry.Invoke(null, [new[] { "report", root.File("a"), root.File("b"), "--out", root.File("out") }]);
        Assert.That(code, Is.EqualTo(0));
        var md = File.ReadAllText(Path.Combine(root.Path, "out", "report.md"));
        Assert.That(md, Does.Contain("stage=early").And.Contain("stage=late"));
        Assert.That(File.Exists(Path.Combine(root.Path, "out", "report_memorization.png")), Is.True);
    }
}

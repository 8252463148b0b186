using System.Diagnostics;
using NUnit.Framework;
using Harness.Tests.Scenarios;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// Output that is not a terminal is never wrapped: without COLUMNS (which <see cref="HarnessProcess"/> sets), a long
/// error is one line that grep and editors' problem matchers can read, and a table row is one line.
/// </summary>
public class UnwrappedOutputTests
{
    static (int Code, string Out) RunWithoutColumns(params string[] args)
    {
        var start = HarnessProcess.StartInfo(args);
        start.Environment.Remove("COLUMNS");
        start.Environment.Remove("LINES");
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Test]
    public void A_long_error_stays_on_one_line()
    {
        using var files = new TempFolder();
        var path = files.Write("long.yaml", "training: { steps: 10 }\ninjection: { groups: [{ name: a-group-with-a-rather-long-name-for-the-test, items: 0..1, at: [50] }] }\n");
        var (code, output) = RunWithoutColumns("validate", path);
        Assert.That(code, Is.EqualTo(2), output);
        var line = output.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.That(line, Has.Length.GreaterThan(200), "the message is long enough that 80 columns would wrap it");
        Assert.That(line, Does.Contain($"{path}:2:94: group 'a-group-with-a-rather-long-name-for-the-test' injects fk-001 at step 50").And.Contain(". fix: raise training.steps"));
    }

    [Test]
    public void A_wide_table_row_stays_on_one_line()
    {
        using var files = new TempFolder();
        var group = "g-" + new string('w', 150);
        var path = files.Write("wide.yaml", $"training: {{ steps: 10 }}\ninjection: {{ groups: [{{ name: {group}, items: 3, at: [2] }}] }}\n");
        var (code, output) = RunWithoutColumns("plan", path);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output.Split('\n'), Has.Some.Contains("fk-003").And.Contains(group));
    }
}

using System.Text.Json.Nodes;
using Harness.Analysis;
using Harness.Reporting;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>
/// analyze, report and check compute nothing from a run that should be refused: each case below is a run directory
/// damaged in one way, and reading it names the file and the reason.
/// </summary>
public class StrictReadingTests
{
    private TempFolder folder = null!;
    private string dir = "";

    [SetUp]
    public void WriteRun()
    {
        folder = new TempFolder();
        dir = Path.Combine(folder.Path, "run");
        SyntheticRun.Write(dir, new SyntheticRunSpec { Steps = 40, Groups = [new("once", 2, [5]), new("ctl", 2, [], Control: true)], ProbesPerDepth = 2 });
    }

    [TearDown]
    public void Remove() => folder.Dispose();

    private string Manifest => Path.Combine(dir, RunDirectory.ManifestFile);
    private string Csv => Path.Combine(dir, RunDirectory.CsvFile);

    private static string Refusal(Action read) => Assert.Throws<InputException>(() => read())!.Message;

    private void EditManifest(Action<JsonObject> edit)
    {
        var m = JsonNode.Parse(File.ReadAllText(Manifest))!.AsObject();
        edit(m);
        File.WriteAllText(Manifest, m.ToJsonString());
    }

    private void EditRows(Func<string[], IEnumerable<string>> edit)
    {
        var lines = File.ReadAllLines(Csv);
        File.WriteAllLines(Csv, [lines[0], .. edit(lines[1..])]);
    }

    [Test]
    public void The_untouched_run_reads() => Assert.DoesNotThrow(() => RunDirectory.Load(dir));

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("0.25")]
    public void A_log_probability_that_is_not_finite_or_is_positive_is_refused(string value)
    {
        EditRows(rows => rows.Select((r, i) => i == 3 ? r[..(r.LastIndexOf(',') + 1)] + value : r));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.StartWith($"{Csv}:5: log probability"));
    }

    [Test]
    public void A_truncated_number_is_refused()
    {
        EditRows(rows => rows.Select((r, i) => i == 3 ? r[..(r.LastIndexOf(',') + 1)] + "-1.2e" : r));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.StartWith($"{Csv}:5: malformed row"));
    }

    [Test]
    public void A_missing_row_is_refused_naming_step_and_probe()
    {
        EditRows(rows => rows.Where((_, i) => i != 100));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("no row for step").And.Contain("every probe is logged at every logged step"));
    }

    [Test]
    public void A_probe_missing_at_every_step_is_refused()
    {
        var lines = File.ReadAllLines(Csv);
        var victim = string.Join(',', lines[1].Split(',')[1..5]);
        EditRows(rows => rows.Where(r => string.Join(',', r.Split(',')[1..5]) != victim));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("probes where other items have 2"));
    }

    [Test]
    public void A_trajectory_cut_short_of_a_complete_run_is_refused()
    {
        EditRows(rows => rows.Where(r => int.Parse(r.Split(',')[0]) < 40));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("the last logged step is 39 but the run is complete at 40 updates"));
    }

    [Test]
    public void A_duplicated_row_is_refused()
    {
        EditRows(rows => [.. rows, rows[7]]);
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("appears twice"));
    }

    [TestCase("harness-run/2")]
    [TestCase(null)]
    public void An_unknown_format_is_refused(string? format)
    {
        EditManifest(m => { if (format is null) m.Remove("format"); else m["format"] = format; });
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("unknown format").And.Contain(RunManifest.CurrentFormat));
    }

    [TestCase("items")]
    [TestCase("depths")]
    [TestCase("steps")]
    [TestCase("status")]
    public void A_manifest_without_a_needed_field_is_refused(string field)
    {
        EditManifest(m => m.Remove(field));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain($"missing field {field}"));
    }

    [Test]
    public void A_run_that_did_not_complete_is_refused_unless_partial_and_then_every_output_says_so()
    {
        EditManifest(m => { m["status"] = "stopped"; m["status_message"] = "interrupted at update 30 of 40"; });
        EditRows(rows => rows.Where(r => int.Parse(r.Split(',')[0]) <= 30));
        Assert.That(Refusal(() => RunDirectory.Load(dir)), Does.Contain("the run is stopped").And.Contain("--partial"));

        var m = RunReport.Write(dir, plots: true, partial: true);
        Assert.That(m.Partial, Is.EqualTo("stopped at update 30 of 40 (interrupted at update 30 of 40)"));
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(dir, "metrics.json")), Does.Contain("\"partial\": \"stopped at update 30 of 40"));
            foreach (var table in Directory.GetFiles(Path.Combine(dir, RunPaths.TablesDir)))
                Assert.That(File.ReadLines(table).First(), Does.Contain("artial run"), Path.GetFileName(table));
            Assert.That(Directory.GetFiles(Path.Combine(dir, RunPaths.PlotsDir), "*.png"), Is.Not.Empty);
        });
        Assert.That(RunComparison.Label(m), Does.EndWith("(partial)"));
    }

    [Test]
    public void A_complete_run_says_nothing_of_partial()
    {
        var m = RunReport.Write(dir, plots: false);
        Assert.That(m.Partial, Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(dir, "metrics.json")), Does.Not.Contain("partial"));
        Assert.That(File.ReadLines(Path.Combine(dir, RunPaths.TablesDir, "effectivity.md")).First(), Does.Not.Contain("artial"));
    }
}

using System.Text;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// The measured rate table of docs/calibration.md, between <see cref="Begin"/> and <see cref="End"/>. Every kind's row
/// is measured once per test run, all together (kinds share data sets and noise), and read by the kind's test and the
/// table test. With HARNESS_UPDATE_CALIBRATION=1 the table test rewrites the section instead of comparing.
/// </summary>
internal static class CalibrationTable
{
    public const string Begin = "<!-- calibration:begin -->";
    public const string End = "<!-- calibration:end -->";
    public static string Document => Path.Combine(Repository.Root, "docs", "calibration.md");
    public static bool Updating => Environment.GetEnvironmentVariable("HARNESS_UPDATE_CALIBRATION") == "1";

    private static readonly Lazy<IReadOnlyDictionary<string, CalibrationRow>> Rows = new(() =>
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var rows = CalibrationRow.Measure(FindingCalibrations.All);
        NUnit.Framework.TestContext.Progress.WriteLine($"calibration of {rows.Count} kinds: {sw.Elapsed.TotalSeconds:F0} s");
        foreach (var row in rows) NUnit.Framework.TestContext.Progress.WriteLine(row.Markdown());
        return rows.ToDictionary(r => r.Design.Kind);
    });

    public static CalibrationRow Row(string kind) => Rows.Value[kind];

    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("| kind | scenario shape | null truth | N null | false positives | N alt | effect | power | calibrated |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var kind in FindingKinds.Known) sb.Append(Row(kind).Markdown()).Append('\n');
        return sb.ToString();
    }

    /// <summary>The section between the markers as committed (null when the markers are missing).</summary>
    public static string? Committed()
    {
        var text = File.ReadAllText(Document).ReplaceLineEndings("\n");
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        return b < 0 || e < b ? null : text[(b + Begin.Length)..e].Trim('\n') + "\n";
    }

    public static void Write(string table)
    {
        var text = File.ReadAllText(Document).ReplaceLineEndings("\n");
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < b) throw new InvalidOperationException($"{Document} lacks the markers {Begin} … {End}");
        File.WriteAllText(Document, text[..(b + Begin.Length)] + "\n" + table + text[e..]);
    }
}

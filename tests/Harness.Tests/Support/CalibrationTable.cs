using System.Collections.Concurrent;
using System.Text;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>
/// The measured rate table of docs/calibration.md, between <see cref="Begin"/> and <see cref="End"/>. Each kind's row
/// is computed once per test run and shared by the kind's test and the table test. With HARNESS_UPDATE_CALIBRATION=1
/// the table test rewrites the section instead of comparing.
/// </summary>
internal static class CalibrationTable
{
    public const string Begin = "<!-- calibration:begin -->";
    public const string End = "<!-- calibration:end -->";
    public static string Document => Path.Combine(Repository.Root, "docs", "calibration.md");
    public static bool Updating => Environment.GetEnvironmentVariable("HARNESS_UPDATE_CALIBRATION") == "1";

    private static readonly ConcurrentDictionary<string, Lazy<CalibrationRow>> Rows = new();

    public static CalibrationRow Row(string kind) =>
        Rows.GetOrAdd(kind, k => new Lazy<CalibrationRow>(() =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var row = CalibrationRow.Measure(FindingCalibrations.Of(k));
            NUnit.Framework.TestContext.Progress.WriteLine($"calibration {sw.Elapsed.TotalSeconds:F0} s: {row.Markdown()}");
            return row;
        })).Value;

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

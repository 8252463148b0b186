using Harness.Analysis.Inference;
using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Scenarios;

namespace Harness.Reporting;

/// <summary>
/// A scenario's <c>expect</c> entries with the runs of its cells that decide them. <see cref="File"/> is how the table
/// names the scenario: a path relative to the repository, so that the same runs give the same table anywhere.
/// </summary>
public sealed record ScenarioFindings(string File, IReadOnlyList<Expectation> Expect, IReadOnlyList<RunMetrics> Runs);

/// <summary>One entry's verdict as the table shows it.</summary>
public sealed record FindingRow(int? PaperFinding, string Where, string Claim, string Outcome, string Numbers);

/// <summary>
/// The findings table: one row per <c>expect</c> entry, in the order of the paper's findings, with its verdict and the
/// numbers that decided it (<see cref="FindingVerdict.Headline"/>). <c>harness report --findings</c> prints it, the
/// README quotes it between <see cref="Begin"/> and <see cref="End"/>, and the golden tables of the tiny runs end with
/// each scenario's rows, so every number the README quotes is reviewed there.
/// </summary>
public static class FindingsTable
{
    public const string Begin = "<!-- findings:begin -->";
    public const string End = "<!-- findings:end -->";

    public static IReadOnlyList<FindingRow> Rows(IEnumerable<ScenarioFindings> scenarios) =>
        scenarios.SelectMany(s => s.Expect.Select(e => Row(s, e)))
            .OrderBy(r => r.PaperFinding ?? int.MaxValue) // stable: a scenario's entries keep their order
            .ToList();

    public static string Markdown(IEnumerable<ScenarioFindings> scenarios)
    {
        var rows = Rows(scenarios);
        if (rows.Count == 0) return "No `expect` entries.\n";
        var text = new System.Text.StringBuilder();
        text.Append("| finding | entry | claim | outcome | numbers |\n|---|---|---|---|---|\n");
        foreach (var r in rows)
            text.Append($"| {(r.PaperFinding is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "–")} | `{Cell(r.Where)}` | {Cell(r.Claim)} | {Cell(r.Outcome)} | {Cell(r.Numbers)} |\n");
        return text.ToString();
    }

    /// <summary>The text between the markers (without them); throws when the document does not have them once each, in order.</summary>
    public static string Section(string document)
    {
        var (start, end) = Markers(document);
        return document[(start + Begin.Length)..end].Trim('\n') + "\n";
    }

    /// <summary>The document with the text between the markers replaced by <paramref name="table"/>.</summary>
    public static string WithSection(string document, string table)
    {
        var (start, end) = Markers(document);
        return document[..(start + Begin.Length)] + "\n" + table.TrimEnd('\n') + "\n" + document[end..];
    }

    private static FindingRow Row(ScenarioFindings s, Expectation e)
    {
        var verdict = FindingCheck.Evaluate(e, s.Runs);
        bool divergence = e.Parameters.ContainsKey("divergence");
        string outcome = verdict.Holds ? "holds" : !verdict.Decided ? "not evaluated" : divergence ? "declared divergence (does not hold)" : "fails";
        // A kind without a measured false-positive rate at these runs' seeds is reported, never asserted (docs/calibration.md).
        if (verdict.Decided && FindingKinds.All.FirstOrDefault(k => k.Name == e.Kind)?.ReportedOnlyBecause(e.Parameters, Replicate.Of(s.Runs).Count) is { } why)
            outcome += $", {why}: reported only";
        // An undecided verdict has no numbers; its statistic says why.
        string numbers = verdict.Decided ? verdict.Headline : verdict.Statistic;
        return new FindingRow(FindingKinds.PaperFinding(e), $"{s.File.Replace('\\', '/')}:{e.Line}", FindingKinds.Claim(e), outcome, numbers);
    }

    private static (int Start, int End) Markers(string document)
    {
        int start = document.IndexOf(Begin, StringComparison.Ordinal), end = document.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start || document.IndexOf(Begin, start + 1, StringComparison.Ordinal) >= 0 || document.IndexOf(End, end + 1, StringComparison.Ordinal) >= 0)
            throw new InputException($"the document should hold {Begin} once, then {End} once");
        return (start, end);
    }

    /// <summary>A pipe or a line break would end a Markdown table cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");
}

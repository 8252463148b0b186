using System.Globalization;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>One kind's measured rates: how often it held under the null (false positives) and under the alternative (power).</summary>
internal sealed record CalibrationRow(CalibrationDesign Design, int FalsePositives, int Hits)
{
    /// <summary>The design's boundary statistic over its null data sets (null when the design has none).</summary>
    public CalibrationRate.Outcome? NullOutcome { get; init; }

    public double FalsePositiveRate => (double)FalsePositives / Design.NullSets;
    public double Power => (double)Hits / Design.AlternativeSets;
    public bool Calibrated => FindingKinds.Of(Design.Kind).Calibrated;

    /// <summary>The largest false-positive rate a calibrated kind may have at nominal 5%.</summary>
    public const double Allowed = 0.075;

    /// <summary>Every design's row, measured together (<see cref="CalibrationRate.Measure"/>: shared data sets are analysed once).</summary>
    public static IReadOnlyList<CalibrationRow> Measure(IReadOnlyList<CalibrationDesign> designs)
    {
        // HARNESS_CALIBRATION_SETS=NULL,ALT runs fewer data sets (a quick look; the committed table uses the design's counts).
        if (Environment.GetEnvironmentVariable("HARNESS_CALIBRATION_SETS") is { Length: > 0 } sets)
        {
            var n = sets.Split(',').Select(int.Parse).ToArray();
            designs = [.. designs.Select(d => d with { NullSets = n[0], AlternativeSets = n.Length > 1 ? n[1] : n[0] })];
        }
        var counts = CalibrationRate.Measure([.. designs.SelectMany(d => new[]
        {
            new CalibrationRate.Count(d.Expectation, d.Null, d.NullSets, d.Resamples, d.Boundary?.Read),
            new CalibrationRate.Count(d.Expectation, d.Alternative, d.AlternativeSets, d.Resamples),
        })]);
        return [.. designs.Select((d, k) => new CalibrationRow(d, counts[2 * k].Holds, counts[2 * k + 1].Holds)
            { NullOutcome = d.Boundary is null ? null : counts[2 * k] })];
    }

    private string NullTruth => Design.Boundary is { } b && NullOutcome is { } o
        ? $"{Design.NullTruth} ({b.Statistic}: mean {F3(o.Mean)} ± {F3(o.StandardError)})"
        : Design.NullTruth;

    private static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    public string Markdown() =>
        $"| {Design.Kind} | {Design.Shape} | {NullTruth} | {Design.NullSets} | {Percent(FalsePositiveRate)} ({FalsePositives}) | " +
        $"{Design.AlternativeSets} | {Design.Effect} | {Percent(Power)} ({Hits}) | {(Calibrated ? "yes" : "no")} |";

    private static string Percent(double p) => (100 * p).ToString("F1", CultureInfo.InvariantCulture) + "%";
}

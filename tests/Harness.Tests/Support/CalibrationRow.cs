using System.Globalization;
using Harness.Scenarios;

namespace Harness.Tests.Support;

/// <summary>One kind's measured rates: how often it held under the null (false positives) and under the alternative (power).</summary>
internal sealed record CalibrationRow(CalibrationDesign Design, int FalsePositives, int Hits)
{
    public double FalsePositiveRate => (double)FalsePositives / Design.NullSets;
    public double Power => (double)Hits / Design.AlternativeSets;
    public bool Calibrated => FindingKinds.Of(Design.Kind).Calibrated;

    /// <summary>The largest false-positive rate a calibrated kind may have at nominal 5%.</summary>
    public const double Allowed = 0.075;

    public static CalibrationRow Measure(CalibrationDesign d)
    {
        // HARNESS_CALIBRATION_SETS=NULL,ALT runs fewer data sets (a quick look; the committed table uses the design's counts).
        if (Environment.GetEnvironmentVariable("HARNESS_CALIBRATION_SETS") is { Length: > 0 } sets)
        {
            var n = sets.Split(',').Select(int.Parse).ToArray();
            d = d with { NullSets = n[0], AlternativeSets = n.Length > 1 ? n[1] : n[0] };
        }
        return new(d, CalibrationRate.Holds(d.Expectation, d.Null, d.NullSets, d.Resamples),
            CalibrationRate.Holds(d.Expectation, d.Alternative, d.AlternativeSets, d.Resamples));
    }

    public string Markdown() =>
        $"| {Design.Kind} | {Design.Shape} | {Design.NullTruth} | {Design.NullSets} | {Percent(FalsePositiveRate)} ({FalsePositives}) | " +
        $"{Design.AlternativeSets} | {Design.Effect} | {Percent(Power)} ({Hits}) | {(Calibrated ? "yes" : "no")} |";

    private static string Percent(double p) => (100 * p).ToString("F1", CultureInfo.InvariantCulture) + "%";
}

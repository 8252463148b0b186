using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Calibration;

/// <summary>
/// The calibration runs use <see cref="CalibrationRate.Resamples"/> (200) bootstrap resamples per interval to fit the
/// suite's time, the real runs 1,000: on each kind marked calibrated (docs/calibration.md), the
/// design's null data sets give the same false-positive count at both within Monte-Carlo error. Explicit: it costs
/// minutes.
/// </summary>
[Category("CalibrationResamples"), Explicit("minutes; run when the checks' statistics change")]
public class BootstrapResampleTests
{
    [TestCase("effectivity_positive")]
    [TestCase("acquisition_rises_after_encounter")]
    [TestCase("forgets_faster")]
    [TestCase("decay_lower_for")]
    [TestCase("effectivity_independent_of")]
    [TestCase("effectivity_higher_for")]
    [TestCase("first_encounter_most_effective")]
    public void Resamples_200_and_1000_give_the_same_rates(string kind)
    {
        var d = FindingCalibrations.Of(kind);
        int sets = d.NullSets;
        // One pass: each data set is analysed once and judged at both resample counts.
        var holds = CalibrationRate.Measure(
        [
            new CalibrationRate.Count(d.Expectation, d.Null, sets, CalibrationRate.Resamples),
            new CalibrationRate.Count(d.Expectation, d.Null, sets, 1000),
        ]);
        var (few, many) = (holds[0].Holds, holds[1].Holds);
        // The two counts come from the same data sets: they differ only where an interval sits at the threshold.
        double p = (few + many) / (2.0 * sets), se = Math.Sqrt(2 * Math.Max(p * (1 - p), 1.0 / sets) / sets);
        TestContext.Out.WriteLine($"{kind}: null holds {few}/{sets} at {CalibrationRate.Resamples} resamples, {many}/{sets} at 1000");
        Assert.That(Math.Abs(few - many) / (double)sets, Is.LessThanOrEqualTo(2 * se));
    }
}

using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Calibration;

/// <summary>
/// The calibration runs use <see cref="CalibrationRate.Resamples"/> (200) bootstrap resamples per interval to fit the
/// suite's time; on a subset of kinds and data sets, 200 and 1,000 give rates within Monte-Carlo error. Explicit: it
/// costs several minutes.
/// </summary>
[Category("CalibrationResamples"), Explicit("several minutes; run when the checks' statistics change")]
public class BootstrapResampleTests
{
    [TestCase("effectivity_higher_for")]
    [TestCase("forgets_faster")]
    public void Resamples_200_and_1000_give_the_same_rates(string kind)
    {
        const int sets = 100;
        var d = FindingCalibrations.Of(kind);
        int few = CalibrationRate.Holds(d.Expectation, d.Null, sets, CalibrationRate.Resamples);
        int many = CalibrationRate.Holds(d.Expectation, d.Null, sets, 1000);
        // The two counts come from the same data sets: they differ only where an interval sits at the threshold.
        double p = (few + many) / (2.0 * sets), se = Math.Sqrt(2 * Math.Max(p * (1 - p), 1.0 / sets) / sets);
        TestContext.Out.WriteLine($"{kind}: null holds {few}/{sets} at {CalibrationRate.Resamples} resamples, {many}/{sets} at 1000");
        Assert.That(Math.Abs(few - many) / (double)sets, Is.LessThanOrEqualTo(2 * se));
    }
}

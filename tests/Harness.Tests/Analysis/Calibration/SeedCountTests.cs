using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Calibration;

/// <summary>
/// How many seeds a check needs: the false-positive rate and power of the two kinds that compare cells of different
/// runs, at 1, 2 and 3 seeds per cell (a seed: its own items, background order and, for model sizes, its own
/// pretraining), and of the kinds measured inside runs at one seed, their designs' first seed alone. A run's own
/// bootstrap cannot see drift that differs between runs, so only seeds can; where more seeds do not bring the rate
/// down, the statistic itself is off and seeds cannot make it assertable. The counts go to docs/calibration.md, "Seeds
/// per scenario". Explicit: it costs minutes.
/// </summary>
[Category("CalibrationSeeds"), Explicit("minutes; run when a design's seed count is decided")]
public class SeedCountTests
{
    private const int NullSets = 400, AlternativeSets = 100;

    [TestCase(1), TestCase(2), TestCase(3)]
    public void effectivity_higher_for(int seeds) =>
        Report(nameof(effectivity_higher_for), seeds, i => FindingCalibrations.Sizes(i, 0, seeds), i => FindingCalibrations.Sizes(i, 0.15, seeds));

    [TestCase(1), TestCase(2), TestCase(3)]
    public void x_intercept_larger_for(int seeds) =>
        Report(nameof(x_intercept_larger_for), seeds, i => FindingCalibrations.Batches(i, true, seeds), i => FindingCalibrations.Batches(i, false, seeds));

    /// <summary>A kind measured on two seeds in <see cref="FindingCalibrations"/>, on the first of them alone, written without a seed axis.</summary>
    [TestCase("effectivity_positive"), TestCase("acquisition_rises_after_encounter"), TestCase("forgets_faster"),
     TestCase("decay_lower_for"), TestCase("first_encounter_most_effective")]
    public void One_seed(string kind)
    {
        var d = FindingCalibrations.Of(kind);
        Report(kind, 1, i => FirstSeed(d.Null(i)), i => FirstSeed(d.Alternative(i)));
    }

    private static IReadOnlyList<Harness.Analysis.SyntheticRunSpec> FirstSeed(IReadOnlyList<Harness.Analysis.SyntheticRunSpec> specs) =>
        [.. specs.Where(s => s.Cell["seed"] == "1").Select(s => s with { Cell = s.Cell.Where(c => c.Key != "seed").ToDictionary() })];

    private static void Report(string kind, int seeds, Func<int, IReadOnlyList<Harness.Analysis.SyntheticRunSpec>> nul, Func<int, IReadOnlyList<Harness.Analysis.SyntheticRunSpec>> alt)
    {
        var e = FindingCalibrations.Of(kind).Expectation;
        var o = CalibrationRate.Measure([new(e, nul, NullSets), new(e, alt, AlternativeSets)]);
        TestContext.Out.WriteLine($"| {kind} | {seeds} | {100.0 * o[0].Holds / NullSets:F1}% ({o[0].Holds} of {NullSets}) | {100.0 * o[1].Holds / AlternativeSets:F1}% ({o[1].Holds} of {AlternativeSets}) |");
        Assert.Pass();
    }
}

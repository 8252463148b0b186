using Harness.Analysis;
using Harness.Data.Knowledge;
using Harness.Reporting;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

/// <summary>Tables and metrics.json of fixed synthetic runs, checked against goldens/.</summary>
public class GoldenTests
{
    /// <summary>Two injected groups and a control group, two depths, a little noise: every column has a value.</summary>
    internal static SyntheticRunSpec SmallRun(string stage = "late", double decay = 0.2) => new()
    {
        Scenario = "golden-small",
        Steps = 400,
        Groups =
        [
            new("duplicate", 3, [0, 100, 200], 1.2, decay, Stagger: 1),
            new("once", 3, [0], 2.0, 0.3, Stagger: 1),
            new("control", 2, [], Control: true),
        ],
        Depths = [Depth.Memorization, Depth.Composition],
        ProbesPerDepth = 2,
        LamWindow = 20,
        Noise = 0.02,
        DriftPerStep = -5e-4,
        Seed = 7,
        Cell = new Dictionary<string, string> { ["stage"] = stage },
    };

    private static RunMetrics Metrics(SyntheticRunSpec spec)
    {
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        return MetricsCalculator.Compute(manifest, trajectory);
    }

    [Test]
    public void Effectivity_table_matches_its_golden() => GoldenFiles.Verify("effectivity", MetricsTables.EffectivityMarkdown(Metrics(SmallRun())), "md");

    [Test]
    public void Effectivity_by_encounter_table_matches_its_golden() => GoldenFiles.Verify("effectivity_by_encounter", MetricsTables.EncounterMarkdown(Metrics(SmallRun())), "md");

    [Test]
    public void Retainability_table_matches_its_golden() => GoldenFiles.Verify("retainability", MetricsTables.RetainabilityMarkdown(Metrics(SmallRun())), "md");

    [Test]
    public void Retainability_csv_matches_its_golden() => GoldenFiles.Verify("retainability", MetricsTables.RetainabilityCsv(Metrics(SmallRun())), "csv");

    [Test]
    public void Metrics_json_of_a_run_without_controls_matches_its_golden()
    {
        var spec = SmallRun() with
        {
            Groups = [new("duplicate", 2, [0, 100], 1.2, 0.2)],
            Depths = [Depth.Memorization],
            Noise = 0,
            DriftPerStep = 0,
            Steps = 200,
        };
        // Rounded to 6 decimals: the golden pins names, structure and values, not the last bits of a platform's libm.
        var json = System.Text.RegularExpressions.Regex.Replace(MetricsJson.Serialize(Metrics(spec)), @"-?\d+\.\d+(E[-+]?\d+)?",
            m => Math.Round(double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture), 6).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture));
        GoldenFiles.Verify("metrics_no_controls", json, "json");
    }

    [Test]
    public void Report_of_two_stages_matches_its_golden() => GoldenFiles.Verify("report",
        RunComparison.Markdown([Metrics(SmallRun("early", 0.25)), Metrics(SmallRun("late", 0.2))]), "md");
}

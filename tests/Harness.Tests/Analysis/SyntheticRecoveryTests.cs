using Harness.Reporting;
using Harness.Analysis;
using Harness.Data.Knowledge;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis;

/// <summary>The done-when of the analysis: runs with a known truth come back within ±0.01 of a and ±5% of E.</summary>
public class SyntheticRecoveryTests
{
    private static readonly int[] Every100 = Enumerable.Range(0, 10).Select(i => i * 100).ToArray();

    private static SyntheticRunSpec PaperLike() => new()
    {
        Scenario = "paper-like",
        Steps = 1500,
        Groups =
        [
            new("paraphrase", 6, Every100, Effectivity: 1.4, DecayConstant: 0.12, Stagger: 1)
                { EffectivityByDepth = new Dictionary<Depth, double> { [Depth.Composition] = 0.5 } },
            new("duplicate", 6, Every100, Effectivity: 1.1, DecayConstant: 0.21, Stagger: 1),
            new("once", 6, [0], Effectivity: 2.3, DecayConstant: 0.3, Stagger: 1)
                { DecayByDepth = new Dictionary<Depth, double> { [Depth.Semantic] = 0.25 } },
            new("control", 4, [], Control: true),
        ],
    };

    private static void AssertTruth(RunMetrics m, SyntheticRunSpec spec)
    {
        foreach (var g in spec.Groups.Where(g => !g.Control))
            foreach (var d in spec.Depths)
            {
                var e = m.EffectivityOf(g.Name, d) ?? throw new AssertionException($"no effectivity for {g.Name}/{d}");
                var r = m.RetainabilityOf(g.Name, d) ?? throw new AssertionException($"no retainability for {g.Name}/{d}");
                Assert.That(e.Mean, Is.EqualTo(g.EffectivityAt(d)).Within(5).Percent, $"E {g.Name}/{d}");
                Assert.That(r.DecayConstant, Is.EqualTo(g.DecayAt(d)).Within(0.01), $"a {g.Name}/{d}");
            }
    }

    [Test]
    public void Paper_like_schedule_gives_back_every_effectivity_and_decay_constant()
    {
        var spec = PaperLike();
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory);
        AssertTruth(m, spec);
        var dupMem = m.RetainabilityOf("duplicate", Depth.Memorization)!;
        Assert.Multiple(() =>
        {
            Assert.That(dupMem.R2, Is.EqualTo(1).Within(1e-9), "an exact power law fits perfectly");
            Assert.That(dupMem.XInterceptLog10Steps, Is.EqualTo(1 / 0.21).Within(1e-6));
            Assert.That(dupMem.XInterceptLog10Tokens, Is.EqualTo(1 / 0.21 + Math.Log10(16 * 128)).Within(1e-6));
            Assert.That(dupMem.PowerLawRmse, Is.LessThan(dupMem.ExponentialRmse!.Value));
            Assert.That(m.EffectivityOf("duplicate", Depth.Memorization)!.PerEncounter, Has.Count.EqualTo(10));
            Assert.That(m.EffectivityOf("duplicate", Depth.Memorization)!.OneStepGain, Is.EqualTo(1.1).Within(1e-9));
            Assert.That(m.EffectivityOf("control", Depth.Memorization)!.Control, Is.True);
            Assert.That(m.EffectivityOf("duplicate", Depth.Memorization)!.NetMean, Is.EqualTo(1.1).Within(1e-9), "noise-free controls have E = 0");
        });
    }

    [Test]
    public void Unusual_names_irregular_schedules_and_sparse_logging_come_back_from_files([Values] bool parquet)
    {
        var groups = new List<SyntheticGroup>
        {
            new("Grupo α/β", 5, [7, 130, 290, 600], Effectivity: 0.8, DecayConstant: 0.15, Stagger: 3),
            new("x y z", 4, [250], Effectivity: 3.1, DecayConstant: 0.35),
            new("dup_late-2", 3, [400, 520, 700, 760, 820], Effectivity: 0.45, DecayConstant: 0.08, Stagger: 2),
            new("never seen", 3, [], Control: true),
        };
        var injections = groups.SelectMany(g => Enumerable.Range(0, g.Items).SelectMany(j => g.Steps.Select(s => s + j * g.Stagger)));
        var spec = new SyntheticRunSpec
        {
            Scenario = "odd",
            Steps = 2000,
            Groups = groups,
            Depths = [Depth.Memorization, Depth.Composition],
            ProbesPerDepth = 3,
            LamWindow = 30,
            LogSteps = SyntheticRun.SparseLogSteps(2000, injections, dense: 40),
            Cell = new Dictionary<string, string> { ["stage"] = "late" },
        };
        using var folder = new TempFolder();
        var dir = folder.File("run");
        SyntheticRun.Write(dir, spec, parquet);
        var m = RunReport.Write(dir, plots: false);
        AssertTruth(m, spec);
        Assert.That(File.Exists(Path.Combine(dir, "metrics.json")), Is.True);
    }

    [Test]
    public void Encounters_closer_than_the_window_each_keep_their_own_gain()
    {
        var spec = new SyntheticRunSpec
        {
            Steps = 900,
            LamWindow = 50,
            Groups = [new("burst", 4, [10, 30, 45, 300], Effectivity: 0.6, DecayConstant: 0.1, Stagger: 2), new("ctl", 2, [], Control: true)],
            Depths = [Depth.Semantic],
        };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory);
        Assert.That(m.EffectivityOf("burst", Depth.Semantic)!.PerEncounter.Select(e => e.Mean), Is.All.EqualTo(0.6).Within(1e-9));
        Assert.That(m.RetainabilityOf("burst", Depth.Semantic)!.DecayConstant, Is.EqualTo(0.1).Within(0.01));
    }

    [Test]
    public void Background_drift_biases_raw_decay_but_not_control_adjusted()
    {
        var spec = PaperLike() with { DriftPerStep = -4e-4 };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory);
        var r = m.RetainabilityOf("duplicate", Depth.Memorization)!;
        Assert.Multiple(() =>
        {
            Assert.That(r.AdjustedDecayConstant, Is.EqualTo(0.21).Within(0.01));
            Assert.That(r.DecayConstant!.Value - 0.21, Is.GreaterThan(0.05), "drift looks like forgetting on raw ℓ");
            Assert.That(m.EffectivityOf("duplicate", Depth.Memorization)!.AdjustedMean, Is.EqualTo(1.1).Within(1e-9));
        });
    }

    [Test]
    public void Run_without_controls_has_null_net_and_adjusted_fields()
    {
        var spec = PaperLike() with { Groups = PaperLike().Groups.Where(g => !g.Control).ToList() };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory);
        Assert.That(m.ControlGroups, Is.Empty);
        Assert.That(m.Effectivity.Select(e => e.NetMean).Concat(m.Effectivity.Select(e => e.ControlMean)).Concat(m.Effectivity.Select(e => e.AdjustedMean)), Is.All.Null);
        Assert.That(m.Retainability.Select(r => r.AdjustedDecayConstant), Is.All.Null);
        var json = Harness.Reporting.MetricsJson.Serialize(m);
        Assert.That(json, Does.Contain("\"net_mean\": null"));
    }

    [Test]
    public void Noisy_controls_measure_the_noise_floor_that_net_effectivity_removes()
    {
        var spec = PaperLike() with { Noise = 0.1 };
        var (manifest, trajectory) = SyntheticRun.Generate(spec);
        var m = MetricsCalculator.Compute(manifest, trajectory);
        var raw = m.EffectivityOf("duplicate", Depth.Memorization)!;
        Assert.Multiple(() =>
        {
            Assert.That(raw.ControlMean, Is.GreaterThan(0.1), "a window maximum of noise is biased upward");
            Assert.That(raw.NetMean, Is.LessThan(raw.Mean!.Value));
            Assert.That(raw.CiLow, Is.LessThan(raw.Mean!.Value));
            Assert.That(raw.CiHigh, Is.GreaterThan(raw.Mean!.Value));
            Assert.That(raw.NetCiLow, Is.LessThan(raw.NetMean!.Value));
        });
    }
}

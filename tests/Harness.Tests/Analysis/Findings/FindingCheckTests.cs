using System.Collections.Concurrent;
using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Data.Knowledge;
using Harness.Scenarios;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Findings;

/// <summary>
/// Every finding kind on synthetic runs with a known truth: one case where the truth says the finding holds and one
/// where it says it does not, plus the opposite-direction claim and parameter mistakes.
/// </summary>
public class FindingCheckTests
{
    private static readonly int[] ThreeEncounters = [0, 100, 200];

    /// <summary>Paraphrase, duplicate and once groups with controls, a little noise, all three depths.</summary>
    private sealed record Truth(double Effectivity = 1.0, double DuplicateDecay = 0.3, double ParaphraseDecay = 0.15, double OnceEffectivity = 2.0,
        double CompositionDecay = 0.1, int Batch = 16, bool Controls = true, double Noise = 0.02, int Seed = 1)
    {
        public SyntheticRunSpec Spec(IReadOnlyDictionary<string, string> cell) => new()
        {
            Scenario = "world",
            Steps = 400,
            Groups = new List<SyntheticGroup>
            {
                new("paraphrase", 4, ThreeEncounters, Effectivity, ParaphraseDecay, Stagger: 1) { DecayByDepth = Composition() },
                new("duplicate", 4, ThreeEncounters, Effectivity, DuplicateDecay, Stagger: 1) { DecayByDepth = Composition() },
                new("once", 4, [0], OnceEffectivity, 0.3, Stagger: 1) { DecayByDepth = Composition() },
            }.Concat(Controls ? [new SyntheticGroup("control", 3, [], Control: true)] : []).ToList(),
            ProbesPerDepth = 2,
            LamWindow = 20,
            Noise = Noise,
            BatchSize = Batch,
            Seed = Seed,
            Cell = cell,
        };

        private Dictionary<Depth, double> Composition() => new() { [Depth.Composition] = CompositionDecay };
    }

    /// <summary>Metrics of one world in one matrix cell, computed once per test session (many tests share them).</summary>
    private static RunMetrics Run(Truth world, params (string Axis, string Label)[] cell) =>
        Computed.GetOrAdd((world, string.Join(",", cell.Select(c => $"{c.Axis}={c.Label}"))), _ =>
        {
            var (manifest, trajectory) = SyntheticRun.Generate(world.Spec(cell.ToDictionary(c => c.Axis, c => c.Label)));
            return MetricsCalculator.Compute(manifest, trajectory);
        });

    private static readonly ConcurrentDictionary<(Truth, string), RunMetrics> Computed = new();

    private static Expectation Expect(string kind, params (string Name, string Value)[] parameters) =>
        new(kind, parameters.ToDictionary(p => p.Name, p => p.Value), 7);

    private static FindingVerdict Check(Expectation e, params RunMetrics[] runs) => FindingCheck.Evaluate(e, runs);

    private static void AssertHolds(FindingVerdict v, bool holds)
    {
        Assert.That(v.Decided, Is.True, v.ToString());
        Assert.That(v.Holds, Is.EqualTo(holds), v.ToString());
        Assert.That(v.Evidence, Is.Not.Empty);
        Assert.That(v.Headline, Is.Not.Empty, "a decided verdict names its decisive numbers for the findings table");
    }

    // effectivity_positive / acquisition_rises_after_encounter (both take groups and depths)

    [Test]
    public void Effectivity_positive_holds_for_acquired_knowledge_and_fails_for_knowledge_barely_acquired()
    {
        AssertHolds(Check(Expect("effectivity_positive"), Run(new Truth())), true);
        var barely = Run(new Truth(Effectivity: 0.001, OnceEffectivity: 0.001));
        AssertHolds(Check(Expect("effectivity_positive", ("groups", "once"), ("depths", "memorization")), barely), false);
    }

    [Test]
    public void Acquisition_rises_holds_with_controls_and_cannot_pass_without()
    {
        AssertHolds(Check(Expect("acquisition_rises_after_encounter"), Run(new Truth())), true);
        Assert.That(Check(Expect("acquisition_rises_after_encounter"), Run(new Truth(Controls: false))).Holds, Is.False);
    }

    [Test]
    public void Acquisition_rises_fails_for_knowledge_that_is_never_forgotten()
    {
        var kept = Run(new Truth(DuplicateDecay: 0, CompositionDecay: 0));
        AssertHolds(Check(Expect("acquisition_rises_after_encounter", ("groups", "duplicate")), kept), false);
        AssertHolds(Check(Expect("acquisition_rises_after_encounter", ("groups", "paraphrase"), ("depths", "memorization")), kept), true);
    }

    // effectivity_independent_of

    [Test]
    public void Effectivity_independent_of_holds_for_equal_stages_and_fails_for_a_gain_beyond_the_margin()
    {
        var early = Run(new Truth(Seed: 1), ("stage", "early"));
        var v = Check(Expect("effectivity_independent_of", ("axis", "stage"), ("margin", "0.2")), early, Run(new Truth(Seed: 2), ("stage", "late")));
        AssertHolds(v, true);
        Assert.That(v.Evidence, Has.Some.Contains("E(late) − E(early)"));
        AssertHolds(Check(Expect("effectivity_independent_of", ("axis", "stage"), ("margin", "0.1")), early, Run(new Truth(Effectivity: 1.3, Seed: 2), ("stage", "late"))), false);
    }

    [Test]
    public void Effectivity_independent_of_fails_with_a_margin_smaller_than_its_interval()
    {
        var runs = new[] { Run(new Truth(Seed: 1), ("stage", "early")), Run(new Truth(Seed: 2), ("stage", "late")) };
        AssertHolds(Check(Expect("effectivity_independent_of", ("axis", "stage"), ("margin", "0.5")), runs), true);
        AssertHolds(Check(Expect("effectivity_independent_of", ("axis", "stage"), ("margin", "0.0001")), runs), false);
    }

    [Test]
    public void Seeds_are_replicates_and_cells_of_one_seed_are_compared_with_each_other()
    {
        var runs = new[]
        {
            Run(new Truth(Seed: 1), ("stage", "early"), ("seed", "1")), Run(new Truth(Seed: 2), ("stage", "early"), ("seed", "2")),
            Run(new Truth(Effectivity: 1.3, Seed: 3), ("stage", "late"), ("seed", "1")), Run(new Truth(Effectivity: 1.3, Seed: 4), ("stage", "late"), ("seed", "2")),
        };
        var v = Check(Expect("effectivity_higher_for", ("axis", "stage"), ("label", "late")), runs);
        AssertHolds(v, true);
        Assert.That(v.Evidence, Has.Exactly(1).Contains("E(late) − E(early)"), "one difference, averaged over the seeds inside each resample");
        Assert.That(FindingCheck.Opposite(Expect("effectivity_higher_for", ("axis", "stage"), ("label", "late")), runs).Holds, Is.False);
    }

    // effectivity_higher_for

    [Test]
    public void Effectivity_higher_for_the_larger_model_and_not_for_the_smaller()
    {
        var runs = new[] { Run(new Truth(Seed: 1), ("size", "small")), Run(new Truth(Effectivity: 1.3, Seed: 2), ("size", "large")) };
        AssertHolds(Check(Expect("effectivity_higher_for", ("axis", "size"), ("label", "large")), runs), true);
        AssertHolds(Check(Expect("effectivity_higher_for", ("axis", "size"), ("label", "small")), runs), false);
    }

    [Test]
    public void Effectivity_higher_for_uses_raw_effectivity_without_controls()
    {
        var runs = new[] { Run(new Truth(Controls: false, Seed: 1), ("size", "small")), Run(new Truth(Effectivity: 1.3, Controls: false, Seed: 2), ("size", "large")) };
        AssertHolds(Check(Expect("effectivity_higher_for", ("axis", "size"), ("label", "large")), runs), true);
    }

    [Test]
    public void Effectivity_higher_for_must_beat_every_other_cell()
    {
        var runs = new[]
        {
            Run(new Truth(Seed: 1), ("batch", "8")), Run(new Truth(Effectivity: 1.3, Seed: 2), ("batch", "16")), Run(new Truth(Effectivity: 1.6, Seed: 3), ("batch", "32")),
        };
        AssertHolds(Check(Expect("effectivity_higher_for", ("axis", "batch"), ("label", "32")), runs), true);
        AssertHolds(Check(Expect("effectivity_higher_for", ("axis", "batch"), ("label", "16")), runs), false);
    }

    // power_law_fit

    [Test]
    public void Power_law_fit_holds_for_a_power_law_decay()
    {
        var v = Check(Expect("power_law_fit", ("r2_at_least", "0.8"), ("beats", "exponential")), Run(new Truth()));
        AssertHolds(v, true);
        Assert.That(v.Evidence, Has.All.Contains("RMSE power law").And.All.Contains("exponential + offset"));
        Assert.That(v.Headline, Does.Match(@"^unbinned R² \d\.\d{3}–\d\.\d{3} \(threshold 0\.800\); the power law predicts the later half better than exponential in 6 of 6$"));
    }

    [Test]
    public void Power_law_fit_fails_below_the_R2_threshold_and_when_the_exponential_fits_better()
    {
        var run = Run(new Truth());
        var poor = run with
        {
            Retainability = run.Retainability.Select(r => r with
            {
                Raw = r.Raw with { UnbinnedR2 = r.Group == "once" && r.Depth == "semantic" ? 0.6 : r.Raw.UnbinnedR2 },
            }).ToList(),
        };
        AssertHolds(Check(Expect("power_law_fit", ("r2_at_least", "0.8")), poor), false);
        AssertHolds(Check(Expect("power_law_fit", ("r2_at_least", "0.5")), poor), true);
        var exponential = run with
        {
            Retainability = run.Retainability.Select(r => r with { Raw = r.Raw with { HeldOut = r.Raw.HeldOut! with { PowerLaw = r.Raw.HeldOut.Exponential * 2 } } }).ToList(),
        };
        AssertHolds(Check(Expect("power_law_fit", ("r2_at_least", "0.8"), ("beats", "exponential")), exponential), false);
        AssertHolds(Check(Expect("power_law_fit", ("r2_at_least", "0.8")), exponential), true);
    }

    // forgets_faster

    [Test]
    public void Duplicate_forgets_faster_than_paraphrase_and_not_the_other_way()
    {
        var runs = new[] { Run(new Truth(Seed: 1), ("stage", "early")), Run(new Truth(Seed: 2), ("stage", "late")) };
        var v = Check(Expect("forgets_faster", ("group", "duplicate"), ("than", "paraphrase")), runs);
        AssertHolds(v, true);
        Assert.That(v.Headline, Does.StartWith("lowest bound: a(duplicate) − a(paraphrase): "));
        AssertHolds(Check(Expect("forgets_faster", ("group", "paraphrase"), ("than", "duplicate")), runs), false);
    }

    [Test]
    public void Decay_is_not_compared_where_knowledge_was_not_acquired()
    {
        var v = Check(Expect("forgets_faster", ("group", "duplicate"), ("than", "paraphrase")), Run(new Truth(Effectivity: 0.001)));
        Assert.That(v is { Holds: false, Decided: false }, v.ToString());
        Assert.That(v.Evidence, Has.Some.Contains("not above 0, so its decay is not compared"));
    }

    // decay_lower_for

    [Test]
    public void Decay_lower_for_the_larger_batch_and_not_for_the_smaller()
    {
        var runs = new[]
        {
            Run(new Truth(DuplicateDecay: 0.3, ParaphraseDecay: 0.25, Seed: 1), ("batch", "small")),
            Run(new Truth(DuplicateDecay: 0.2, ParaphraseDecay: 0.1, Seed: 2), ("batch", "large")),
        };
        AssertHolds(Check(Expect("decay_lower_for", ("axis", "batch"), ("label", "large")), runs), true);
        AssertHolds(Check(Expect("decay_lower_for", ("axis", "batch"), ("label", "small")), runs), false);
    }

    [Test]
    public void Composition_decays_slowest_and_memorization_does_not()
    {
        AssertHolds(Check(Expect("decay_lower_for", ("depth", "composition")), Run(new Truth())), true);
        var v = Check(Expect("decay_lower_for", ("depth", "memorization"), ("depths", "semantic,composition")), Run(new Truth()));
        AssertHolds(v, false);
        Assert.That(v.Evidence, Has.Some.Contains("a(composition) − a(memorization)").And.Some.Contains("a(semantic) − a(memorization)"));
    }

    // x_intercept_larger_for

    [Test]
    public void X_intercept_in_tokens_larger_for_the_larger_batch_even_where_steps_say_otherwise()
    {
        // a = 0.5 at batch 8 and 0.6 at batch 64: x-intercepts 1/a = 2.0 and 1.67 log10 steps, but 5.0 and 5.6 log10 tokens.
        var runs = new[]
        {
            Run(new Truth(DuplicateDecay: 0.5, ParaphraseDecay: 0.5, Batch: 8, Seed: 1), ("batch", "8")),
            Run(new Truth(DuplicateDecay: 0.6, ParaphraseDecay: 0.6, Batch: 64, Seed: 2), ("batch", "64")),
        };
        AssertHolds(Check(Expect("x_intercept_larger_for", ("axis", "batch"), ("label", "64"), ("groups", "paraphrase,duplicate")), runs), true);
        AssertHolds(Check(Expect("x_intercept_larger_for", ("axis", "batch"), ("label", "64"), ("groups", "paraphrase,duplicate"), ("unit", "steps")), runs), false);
    }

    [Test]
    public void An_x_intercept_extrapolated_more_than_a_decade_is_never_counted()
    {
        var runs = new[]
        {
            Run(new Truth(DuplicateDecay: 0.1, ParaphraseDecay: 0.1, Batch: 8, Seed: 1), ("batch", "8")),
            Run(new Truth(DuplicateDecay: 0.1, ParaphraseDecay: 0.1, Batch: 64, Seed: 2), ("batch", "64")),
        };
        var v = Check(Expect("x_intercept_larger_for", ("axis", "batch"), ("label", "64"), ("groups", "paraphrase,duplicate")), runs);
        Assert.That(v is { Holds: false, Decided: false }, v.ToString());
        Assert.That(v.Evidence, Has.Some.Contains("(extrapolated)"));
    }

    // first_encounter_most_effective

    [Test]
    public void First_encounter_of_once_beats_later_duplicate_encounters_and_not_when_it_is_weaker()
    {
        var v = Check(Expect("first_encounter_most_effective", ("group", "once"), ("than", "duplicate")), Run(new Truth(OnceEffectivity: 1.5)));
        AssertHolds(v, true);
        Assert.That(v.Evidence, Has.Some.StartsWith("memorization:").And.Some.StartsWith("semantic:"));
        Assert.That(v.Evidence, Has.Some.Contains("gain₁(once)"));
        AssertHolds(Check(Expect("first_encounter_most_effective", ("group", "once"), ("than", "duplicate")), Run(new Truth(OnceEffectivity: 0.7))), false);
    }

    // the opposite-direction claim and parameter mistakes

    [Test]
    public void The_opposite_claim_holds_only_where_the_truth_runs_the_other_way()
    {
        var run = Run(new Truth());
        Assert.That(FindingCheck.Opposite(Expect("forgets_faster", ("group", "duplicate"), ("than", "paraphrase")), [run]).Holds, Is.False);
        var reversed = FindingCheck.Opposite(Expect("forgets_faster", ("group", "paraphrase"), ("than", "duplicate")), [run]);
        Assert.That(reversed.Holds, Is.True, reversed.ToString());
        Assert.That(reversed.Statistic, Does.StartWith("opposite"));
    }

    [Test]
    public void The_opposite_claim_does_not_turn_a_mistake_into_a_pass()
    {
        var v = FindingCheck.Opposite(Expect("forgets_faster", ("group", "duplicate")), [Run(new Truth())]);
        Assert.That(v is { Holds: false, Decided: false }, v.ToString());
    }

    [TestCase("forgets_faster", "group=duplicate;than=paraphrase;axis=stage", "'axis'")]
    [TestCase("forgets_faster", "group=duplicate", "'than'")]
    [TestCase("power_law_fit", "depths=memorization", "'r2_at_least'")]
    [TestCase("power_law_fit", "r2_at_least=high", "'r2_at_least'")]
    [TestCase("power_law_fit", "r2_at_least=0.8;beats=linear", "'beats'")]
    [TestCase("x_intercept_larger_for", "axis=stage;label=late;unit=furlongs", "'unit'")]
    [TestCase("effectivity_positive", "depths=memorisation", "'memorisation'")]
    [TestCase("effectivity_higher_for", "axis=size;label=huge", "'huge'")]
    [TestCase("effectivity_higher_for", "axis=width;label=wide", "'width'")]
    [TestCase("forgets_faster", "group=duplicates;than=paraphrase", "'duplicates'")]
    [TestCase("decay_lower_for", "axis=stage;label=late;depth=composition", "either")]
    [TestCase("decay_lower_for", "ell=smoothed;depth=composition", "'ell'")]
    [TestCase("effectivity_independent_of", "axis=stage;margin=-1", "'margin'")]
    [TestCase("acquisition_rises_after_encounter", "value=stage", "a single value ('stage')")]
    public void A_parameter_mistake_fails_and_names_it(string kind, string parameters, string named)
    {
        var runs = new[] { Run(new Truth(Seed: 1), ("stage", "early"), ("size", "small")), Run(new Truth(Seed: 2), ("stage", "late"), ("size", "large")) };
        var pairs = parameters.Split(';').Select(p => p.Split('=')).Select(p => (p[0], p[1])).ToArray();
        var v = Check(Expect(kind, pairs), runs);
        Assert.That(v is { Holds: false, Decided: false }, v.ToString());
        Assert.That(v.Statistic, Does.Contain(named).And.Contain(kind));
    }

    [Test]
    public void Every_known_kind_has_a_check()
    {
        foreach (var kind in FindingKinds.Known)
            Assert.That(Check(Expect(kind), Run(new Truth())).Statistic, Does.Not.Contain("no check"), kind);
    }
}

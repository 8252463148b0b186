using Harness.Analysis.Inference;
using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>
/// The pure computation (no IO): manifest + trajectory → <see cref="RunMetrics"/>, every number of the protocol read
/// from the manifest (window, outlier multiplier, fit range, schedule, groups, tokens per step).
/// </summary>
public static class MetricsCalculator
{
    public const int DefaultResamples = 1000;
    public const int DefaultSeed = 240611813; // the paper's arXiv id: any fixed value makes intervals reproducible

    public static RunMetrics Compute(RunManifest manifest, Trajectory trajectory, int resamples = DefaultResamples, int seed = DefaultSeed) =>
        Compute(manifest, trajectory, resamples, seed, full: true);

    /// <summary>
    /// What the finding checks (<see cref="Findings.FindingCheck"/>) read, each value as <see cref="Compute(RunManifest, Trajectory, int, int)"/>
    /// gives it: the evidence by item, each group's effectivity and the raw retention fits, with
    /// <paramref name="resamples"/> and <paramref name="seed"/> for the checks' cluster bootstrap. Left out, because only
    /// metrics.json, tables and plots show them: the per-probe bootstrap intervals, everything on control-adjusted ℓ
    /// (adjusted E and fits, the fall after the last encounter), per-encounter effectivity and the Δℓ curves.
    /// </summary>
    public static RunMetrics ForFindings(RunManifest manifest, Trajectory trajectory, int resamples = DefaultResamples, int seed = DefaultSeed) =>
        Compute(manifest, trajectory, resamples, seed, full: false);

    private static RunMetrics Compute(RunManifest manifest, Trajectory trajectory, int resamples, int seed, bool full)
    {
        var a = manifest.Analysis;
        var settings = new AnalysisSettings(a.LamWindow, a.IqrMultiplier, a.FitFrom, a.FitTo, resamples, seed, a.FitBinsPerDecade);
        var layout = new RunDesign(manifest, trajectory);
        var adjusted = full && layout.HasControls ? ControlAdjustment.Apply(trajectory, layout.ControlProbes) : null;
        var measured = new RawMeasurements(trajectory, layout, settings.LamWindow, settings.IqrMultiplier);
        var run = new Calculation(trajectory, adjusted, layout, full ? settings : settings with { BootstrapResamples = 0 }, manifest.TokensPerStep,
            measured, full);

        var effectivity = new List<EffectivityMetrics>();
        var retainability = new List<RetainabilityMetrics>();
        var delta = new List<StepCurve>();
        foreach (var g in layout.Groups)
            foreach (var depth in Enum.GetValues<Depth>())
            {
                var probes = g.ProbesByDepth[(int)depth];
                if (probes.Count == 0) continue;
                if (full) delta.Add(ControlAdjustment.DeltaCurve(trajectory, probes, g.Name, depth));
                if (g.Control) effectivity.Add(run.ControlEffectivity(g, depth, probes));
                else if (g.InjectionSteps.Length > 0)
                {
                    effectivity.Add(run.InjectedEffectivity(g, depth, probes));
                    retainability.Add(run.Retainability(g, depth, probes));
                }
            }
        return new RunMetrics
        {
            Scenario = manifest.Scenario,
            Cell = new SortedDictionary<string, string>(manifest.Cell.ToDictionary(), StringComparer.Ordinal),
            TokensPerStep = manifest.TokensPerStep,
            Partial = manifest.Status == "complete" ? null
                : $"{manifest.Status} at update {trajectory.Steps[^1]} of {manifest.Steps}{(manifest.StatusMessage is { } why ? $" ({why})" : "")}",
            Analysis = settings,
            ControlGroups = layout.Groups.Where(g => g.Control).Select(g => g.Name).ToList(),
            Effectivity = effectivity,
            Retainability = retainability,
            DeltaLogProb = delta,
            InjectionSteps = layout.Groups.ToDictionary(g => g.Name, g => g.InjectionSteps),
            Evidence = ItemBreakdown.Of(trajectory, layout, settings, manifest.TokensPerStep, measured),
        };
    }

    /// <param name="full">False: only what the finding checks read (<see cref="ForFindings"/>).</param>
    private sealed class Calculation(Trajectory raw, Trajectory? adjusted, RunDesign layout, AnalysisSettings s, long tokensPerStep,
        RawMeasurements measured, bool full)
    {
        private int seedOffset;
        private int NextSeed() => s.BootstrapSeed + 7919 * seedOffset++;
        // Per-encounter intervals draw from their own seed sequence, so the pooled intervals do not depend on them.
        private int encounterSeedOffset;
        private int NextEncounterSeed() => unchecked(s.BootstrapSeed - 104729 * ++encounterSeedOffset);
        private int fallSeedOffset;
        private int NextFallSeed() => unchecked(s.BootstrapSeed + 15485863 * ++fallSeedOffset);

        public EffectivityMetrics InjectedEffectivity(GroupDesign g, Depth depth, IReadOnlyList<int> probes)
        {
            var all = new List<double>();
            var gains = new List<double>();
            var perEncounter = Enumerable.Range(0, g.Encounters).Select(_ => new List<double>()).ToArray();
            var values = measured.Encounters(g, depth);
            for (int i = 0; i < probes.Count; i++)
                for (int k = 0; k < layout.Encounters[probes[i]].Length; k++)
                {
                    double e = values.Effectivity[values.At(i, k)], g1 = values.Gain[values.At(i, k)];
                    if (!double.IsNaN(e))
                    {
                        all.Add(e);
                        perEncounter[k].Add(e);
                    }
                    if (!double.IsNaN(g1)) gains.Add(g1);
                }
            var kept = OutlierFilter.Keep(all.ToArray(), s.IqrMultiplier);
            var est = Estimate(kept);
            var gain = OutlierFilter.Keep(gains.ToArray(), s.IqrMultiplier);
            var controls = layout.ControlProbes[(int)depth];
            var m = new EffectivityMetrics
            {
                Group = g.Name, Depth = depth.Name(),
                Mean = est.Mean, N = est.N, CiLow = est.CiLow, CiHigh = est.CiHigh,
                OneStepGain = gain.Length > 0 ? gain.Average() : null, OneStepGainN = gain.Length,
                PerEncounter = full ? perEncounter.Select((v, k) => Encounter(k, v, probes, controls)).ToList() : [],
            };
            if (controls.Count == 0 || adjusted is null) return m;
            var control = measured.Windows(controls, g.InjectionSteps).Kept();
            var adj = new List<double>();
            foreach (var p in probes)
            {
                var enc = layout.Encounters[p];
                for (int k = 0; k < enc.Length; k++)
                    if (EncounterWindow.TryEffectivity(adjusted, p, enc[k], s.LamWindow, out var e, out _, Next(enc, k))) adj.Add(e);
            }
            var adjKept = OutlierFilter.Keep(adj.ToArray(), s.IqrMultiplier);
            var (lo, hi) = Bootstrap.DifferenceInterval(kept, control, s.BootstrapResamples, NextSeed());
            // The controls' one-step change over this group's injection steps: what any update does to an unseen fact.
            var controlGain = measured.Gains(controls, g.InjectionSteps).Kept();
            bool netGain = gain.Length > 0 && controlGain.Length > 0;
            var (glo, ghi) = netGain ? Bootstrap.DifferenceInterval(gain, controlGain, s.BootstrapResamples, NextSeed()) : (0.0, 0.0);
            bool net = kept.Length > 0 && control.Length > 0;
            return m with
            {
                ControlMean = control.Length > 0 ? control.Average() : null,
                ControlN = control.Length,
                NetMean = net ? kept.Average() - control.Average() : null,
                NetCiLow = net ? lo : null,
                NetCiHigh = net ? hi : null,
                ControlOneStepGain = controlGain.Length > 0 ? controlGain.Average() : null,
                NetOneStepGainCiLow = netGain ? glo : null,
                NetOneStepGainCiHigh = netGain ? ghi : null,
                AdjustedMean = adjKept.Length > 0 ? adjKept.Average() : null,
                AdjustedN = adjKept.Length,
            };
        }

        /// <summary>
        /// The k-th encounter's effectivity with its interval and, where controls exist, net of the controls' window
        /// values at the steps where this group's items had their k-th encounter.
        /// </summary>
        private EncounterEffectivity Encounter(int k, List<double> values, IReadOnlyList<int> probes, IReadOnlyList<int> controls)
        {
            var kept = OutlierFilter.Keep(values.ToArray(), s.IqrMultiplier);
            if (kept.Length == 0) return new EncounterEffectivity(k + 1, null, 0);
            var (lo, hi) = Bootstrap.MeanInterval(kept, s.BootstrapResamples, NextEncounterSeed());
            var e = new EncounterEffectivity(k + 1, kept.Average(), kept.Length) { CiLow = lo, CiHigh = hi };
            if (controls.Count == 0) return e;
            var steps = probes.Select(p => layout.Encounters[p]).Where(enc => enc.Length > k).Select(enc => enc[k]).Distinct().Order().ToArray();
            var control = measured.Windows(controls, steps).Kept();
            if (control.Length == 0) return e;
            var (nlo, nhi) = Bootstrap.DifferenceInterval(kept, control, s.BootstrapResamples, NextEncounterSeed());
            return e with { NetMean = kept.Average() - control.Average(), NetCiLow = nlo, NetCiHigh = nhi };
        }

        /// <summary>A control group's "effectivity": its probes over the windows of every injection step of the run.</summary>
        public EffectivityMetrics ControlEffectivity(GroupDesign g, Depth depth, IReadOnlyList<int> probes)
        {
            var kept = measured.Windows(probes, layout.AllInjectionSteps).Kept();
            var est = Estimate(kept);
            return new EffectivityMetrics
            {
                Group = g.Name, Depth = depth.Name(), Control = true,
                Mean = est.Mean, N = est.N, CiLow = est.CiLow, CiHigh = est.CiHigh,
            };
        }

        public RetainabilityMetrics Retainability(GroupDesign g, Depth depth, IReadOnlyList<int> probes)
        {
            bool adjust = adjusted is not null && layout.ControlProbes[(int)depth].Count > 0;
            return new()
            {
                Group = g.Name, Depth = depth.Name(),
                Raw = Fit(raw, g, depth, probes),
                Adjusted = adjust ? Fit(adjusted!, g, depth, probes) : null,
                Fall = !full ? null : RetentionFall.Compute(adjust ? adjusted! : raw, probes, layout.Encounters, s.LamWindow, s.IqrMultiplier,
                    s.BootstrapResamples, NextFallSeed(), adjust),
            };
        }

        private RetentionFit Fit(Trajectory tr, GroupDesign g, Depth depth, IReadOnlyList<int> probes)
        {
            StepCurve curve;
            int used;
            if (ReferenceEquals(tr, raw))
            {
                var (_, itemOf) = ItemBreakdown.ItemsOf(tr, probes);
                curve = RetentionCurve.Compute(tr, probes, layout.Encounters, s.LamWindow, s.IqrMultiplier, g.Name, depth, out used,
                    itemOf, itemOf.Length == 0 ? 0 : itemOf.Max() + 1, (s.FitFrom, s.FitTo, s.FitBinsPerDecade), out var byItem);
                measured.Curves[(g.Name, depth)] = byItem;
            }
            else curve = RetentionCurve.Compute(tr, probes, layout.Encounters, s.LamWindow, s.IqrMultiplier, g.Name, depth, out used);
            return DecayFits.Fit(curve, used, s.FitFrom, s.FitTo, tokensPerStep, s.FitBinsPerDecade);
        }

        private static int Next(int[] encounters, int k) => k + 1 < encounters.Length ? encounters[k + 1] : int.MaxValue;

        private Estimate Estimate(double[] kept)
        {
            if (kept.Length == 0) { NextSeed(); return Analysis.Estimate.None; }
            var (lo, hi) = Bootstrap.MeanInterval(kept, s.BootstrapResamples, NextSeed());
            return new Estimate(kept.Average(), kept.Length, lo, hi);
        }
    }
}

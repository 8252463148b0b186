using System.Diagnostics;
using System.Globalization;
using Harness.Analysis;
using Harness.Analysis.Findings;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Analysis.Calibration;

/// <summary>
/// Where a calibration data set's time goes: generating its runs, analysing them as the calibration does (<see cref="MetricsCalculator.ForFindings"/>)
/// and deciding the finding (<see cref="FindingCheck.Evaluate"/>, the cluster bootstrap), per kind, one data set after
/// the other. CPU time is the process's (the bootstrap runs its resamples on every core), which is what limits the
/// category on a shared 2-core machine. Explicit: a measurement, not a check (docs/calibration.md, docs/performance.md).
/// </summary>
[Category("CalibrationProfile"), Explicit("a measurement; run by hand when the analysis or the simulator changes")]
public class CalibrationProfileTests
{
    private const int Sets = 8;

    [Test]
    public void Time_per_data_set_by_phase()
    {
        var process = Process.GetCurrentProcess();
        var total = new Phases();
        // Untimed data sets of every kind first: compiling and tiering up the code is not part of a data set's cost.
        for (int i = 0; i < 3; i++)
            foreach (var d in FindingCalibrations.All) Run(d, 10_000 + i, new Phases(), process);
        foreach (var d in FindingCalibrations.All)
        {
            var phases = new Phases();
            for (int i = 0; i < Sets; i++) Run(d, i, phases, process);
            TestContext.Out.WriteLine($"{d.Kind,-34} {phases.Line(Sets)}");
            total.Add(phases);
        }
        TestContext.Out.WriteLine($"{"all kinds (mean per data set)",-34} {total.Line(Sets * FindingCalibrations.All.Count)}");
    }

    private static void Run(CalibrationDesign d, int i, Phases into, Process process)
    {
        var specs = d.Null(i);
        var generated = into.Time(0, process, () => specs.Select(s => SyntheticRun.Generate(s)).ToList());
        var runs = into.Time(1, process, () => generated.Select(g => MetricsCalculator.ForFindings(g.Manifest, g.Trajectory, d.Resamples, 1_000_003 + i)).ToList());
        into.Time(2, process, () => FindingCheck.Evaluate(d.Expectation, runs));
    }

    /// <summary>Wall and CPU milliseconds of generate, compute and evaluate, summed over data sets.</summary>
    private sealed class Phases
    {
        private readonly double[] wall = new double[3], cpu = new double[3];

        public T Time<T>(int phase, Process process, Func<T> work)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = work();
            wall[phase] += sw.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[phase] += (process.TotalProcessorTime - cpu0).TotalMilliseconds;
            return result;
        }

        public void Add(Phases other)
        {
            for (int k = 0; k < 3; k++) { wall[k] += other.wall[k]; cpu[k] += other.cpu[k]; }
        }

        public string Line(int sets)
        {
            string F(double v) => (v / sets).ToString("F0", CultureInfo.InvariantCulture).PadLeft(6);
            double w = wall.Sum(), c = cpu.Sum();
            return $"ms per data set, wall / CPU: generate {F(wall[0])} /{F(cpu[0])}, compute {F(wall[1])} /{F(cpu[1])}, " +
                   $"evaluate {F(wall[2])} /{F(cpu[2])}, total {F(w)} /{F(c)}";
        }
    }
}

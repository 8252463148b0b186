using System.Diagnostics;
using Harness.Scenarios;
using NUnit.Framework;
using Harness.Tests.Support;

namespace Harness.Tests.Scenarios;

/// <summary>
/// The evaluation schedule as runs: the same steps as listing them one by one (the reference below is the listing
/// algorithm it replaced), at a cost that follows the injections, not <c>training.steps</c>.
/// </summary>
public class EvalScheduleTests
{
    /// <summary>The schedule as it was computed before: every step put into a sorted set.</summary>
    static List<int> Reference(Scenario s, IReadOnlyList<int> injectionSteps)
    {
        var last = s.Training.Steps;
        var set = new SortedSet<int> { 0, last };
        var e = s.Probes.Evaluate;
        var steps = injectionSteps.Distinct().ToList();
        foreach (var step in steps) { set.Add(step); set.Add(step + 1); }
        if (e.DenseAfterInjection > 0)
        {
            foreach (var step in steps)
                for (var t = step; t <= Math.Min((long)step + e.DenseAfterInjection, last); t++) set.Add(t);
            var from = steps.Count == 0 ? 0 : steps.Max();
            for (var i = 0; ; i++)
            {
                var t = from + Math.Round(Math.Pow(10, (double)i / e.PointsPerDecade));
                if (t > last) break;
                set.Add((int)t);
            }
        }
        else
            for (var t = 0; t <= last; t += e.Every) set.Add(t);
        return set.Where(t => t <= last).ToList();
    }

    static Scenario With(int steps, int every, int dense, int perDecade) => new()
    {
        Name = "s",
        Training = new TrainingSpec { Steps = steps },
        Probes = new ProbeSpec { Evaluate = new EvaluationSpec { Every = every, DenseAfterInjection = dense, PointsPerDecade = perDecade } },
    };

    static PlannedInjection[] At(IEnumerable<int> steps) => steps.Select(t => new PlannedInjection(t, 0, 0, "fk-000", "g", 0, 0)).ToArray();

    [Test]
    public void Runs_hold_exactly_the_steps_of_the_listing_schedule()
    {
        var random = new Random(20240);
        for (var trial = 0; trial < 400; trial++)
        {
            var steps = random.Next(1, 3000);
            var s = With(steps, random.Next(1, 60), random.Next(3) == 0 ? 0 : random.Next(0, 80), random.Next(1, 30));
            var injections = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(0, steps + 3)).ToList();
            var expected = Reference(s, injections);
            var actual = EvalSchedule.Steps(s, At(injections));
            var label = $"trial {trial}: steps {steps}, every {s.Probes.Evaluate.Every}, dense {s.Probes.Evaluate.DenseAfterInjection}, injections [{string.Join(", ", injections)}]";
            Assert.That(actual.ToList(), Is.EqualTo(expected), label);
            Assert.That(actual, Has.Count.EqualTo(expected.Count), label);
            Assert.That(Enumerable.Range(0, actual.Count).Select(i => actual[i]), Is.EqualTo(expected), label + " (indexer)");
            Assert.That(Enumerable.Range(-1, steps + 3).Where(actual.Contains), Is.EqualTo(expected), label + " (Contains)");
        }
    }

    [Test]
    public void A_hundred_million_steps_compile_to_a_few_runs()
    {
        using var files = new TempFolder();
        var path = files.Write("big.yaml", "training: { steps: 100000000 }\ninjection: { groups: [{ name: g, items: 0..3, at: { every: 1000000, count: 50 } }] }\n");
        var clock = Stopwatch.StartNew();
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        var plan = ScenarioCompiler.Compile(loaded.Scenarios[0], loaded.Shapes[0]);
        Assert.That(plan.EvalSteps.Runs, Has.Count.EqualTo(1), "every: 1 is one run, whatever the step count");
        Assert.That(plan.EvalSteps, Has.Count.EqualTo(100_000_001));
        Assert.That(plan.EvalSteps.ToString(), Is.EqualTo("0..100000000"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the listing schedule took about a minute and 4.8 GB");
    }

    [Test]
    public void Plan_json_of_a_hundred_million_steps_is_as_long_as_its_injections_need()
    {
        using var files = new TempFolder();
        var path = files.Write("big.yaml", "training: { steps: 100000000 }\ninjection: { groups: [{ name: g, items: 0, at: [5] }] }\n");
        var (code, stdout, stderr) = HarnessProcess.Run("plan", path, "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("\"eval_count\":100000001,\"eval_steps\":[{\"from\":0,\"to\":100000000,\"every\":1}]"));
        Assert.That(stdout, Has.Length.LessThan(1000));
    }

    [Test]
    public void Printed_runs_name_their_stride()
    {
        var s = With(95, 20, 0, 1);
        var set = EvalSchedule.Steps(s, At([33]));
        Assert.That(set.ToString(), Is.EqualTo("0, 20, 33, 34, 40..80 every 20, 95"));
        Assert.That(set.Runs, Has.Count.EqualTo(4), "0 and 20 are one run of stride 20");
    }
}

using NUnit.Framework;
using Harness.Analysis;
using Harness.Scenarios;
using Harness.Training;
using Harness.Tests.Support;

namespace Harness.Findings.Support;

/// <summary>
/// The runs behind the findings tests, each made once per test session: the missing tiny pretraining recipes
/// (<c>harness pretrain</c>) and every matrix cell of every findings scenario (<c>harness run --cell</c>), each a child
/// process (<see cref="HarnessCommand"/> says why), <see cref="SideBySide"/> at a time. A run is bitwise what it would
/// be alone: its process sets its own seed and libtorch thread count.
/// Order: nothing starts before a test asks for a scenario's runs or a checkpoint. The recipes and the cells asked for
/// go first, and the other cells fill free workers, largest first; a cell waits for the stage checkpoint it starts
/// from, which its recipe saves before going on to the later stages. Cells no test asked for are cancelled when the
/// test session ends. HARNESS_FINDINGS_PREFETCH=0 runs only what the tests ask for, so a filtered test session does not
/// share the cores with cells it will not read.
/// </summary>
internal static class FindingRuns
{
    /// <summary>
    /// Processes side by side: HARNESS_FINDINGS_WORKERS, default 4. Four one-thread processes get the most work out of
    /// two cores, more than three, six, or one process at two threads (docs/performance.md, "Findings runs side by
    /// side"); so the findings cells and the recipes run one thread each, four at a time.
    /// </summary>
    private static readonly int SideBySide = int.TryParse(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_WORKERS"), out var n) && n > 0 ? n : 4;

    private static readonly object Gate = new();
    private static readonly List<Job> Pending = [];
    private static readonly Dictionary<string, Job> Recipes = [];
    private static readonly Dictionary<string, Job[]> Cells = [];
    private static readonly List<Thread> Workers = [];
    private static readonly CancellationTokenSource Cancel = new();
    private static readonly bool Prefetch = Environment.GetEnvironmentVariable("HARNESS_FINDINGS_PREFETCH") is not ("0" or "false");
    private static bool anyCellAsked;
    private static int running;

    // HARNESS_FINDINGS_DIR keeps the run directories and logs (the nightly workflow uploads them); by default they are temporary.
    private static readonly string RunsRoot = Environment.GetEnvironmentVariable("HARNESS_FINDINGS_DIR") is { Length: > 0 } d ? Path.GetFullPath(d)
        : Path.Combine(Path.GetTempPath(), "harness-findings");

    /// <summary>The scenarios whose <c>expect</c> blocks are asserted on CPU: the quickstart and scenarios/tiny (not its pretraining recipes).</summary>
    public static IEnumerable<string> CpuScenarios()
    {
        yield return Path.Combine(Repository.Scenarios, "quickstart.yaml");
        var tiny = Path.Combine(Repository.Scenarios, "tiny");
        foreach (var f in Directory.GetFiles(tiny, "*.yaml").Where(f => !Path.GetFileName(f).StartsWith("pretrain", StringComparison.Ordinal)).Order())
            yield return f;
    }

    public static IReadOnlyList<RunMetrics> Of(string scenarioFile) => Get(scenarioFile).Select(r => r.Metrics).ToArray();

    /// <summary>The run directories of the scenario's cells, in matrix order.</summary>
    public static IReadOnlyList<string> Directories(string scenarioFile) => Get(scenarioFile).Select(r => r.Dir).ToArray();

    /// <summary>A built-in checkpoint's folder; asking starts the missing recipes, and waits for the one that makes it.</summary>
    public static string Checkpoint(string spec)
    {
        Job? recipe;
        lock (Gate)
        {
            if (Workers.Count == 0) throw new InvalidOperationException("FindingRuns.Start was not called: the findings SetUpFixture did not run");
            foreach (var job in Recipes.Values) job.Demanded = true;
            Monitor.PulseAll(Gate);
            recipe = TinyRecipes.RecipeOf(spec) is { } name ? Recipes.GetValueOrDefault(name) : null;
        }
        recipe?.Done.Task.GetAwaiter().GetResult();
        return TinyCheckpointCache.Ensure(spec, Log);
    }

    /// <summary>Queues the missing recipes and every cell of the scenarios; the workers wait for the first test to ask.</summary>
    public static void Start(IEnumerable<string> scenarioFiles)
    {
        lock (Gate)
        {
            if (Workers.Count > 0) return;
            foreach (var recipe in TinyCheckpointCache.Missing())
            {
                var pretrain = ScenarioLoader.Load(Path.Combine(Repository.Scenarios, "tiny", $"{recipe}.yaml"), use: ScenarioUse.Recipe).Single().Pretrain!;
                Recipes[recipe] = new Job($"pretraining {recipe}", null, size: 0, cancel => // sized below, once the cells are queued
                {
                    var log = Recipes[recipe].LogFile!;
                    HarnessCommand.Run(["pretrain", recipe], log, cancel, Recipes[recipe].Niceness);
                    return default;
                })
                {
                    LogFile = Path.Combine(RunsRoot, $"{recipe}.log"), Phases = [("pretrain", pretrain.Steps)],
                    StopAtLoss = pretrain.StopAtLoss > 0 ? pretrain.StopAtLoss : null,
                };
            }
            Pending.AddRange(Recipes.Values);
            foreach (var file in scenarioFiles) Queue(file);
            // A recipe goes before any cell, and the one more cells wait for before the others. Priority follows: the
            // recipe most cells wait for runs at normal priority, the other recipes a little lower and the cells lower
            // still, so the longest chain of waiting gets the cores first.
            foreach (var (name, recipe) in Recipes)
                recipe.Size = 1e15 + Cells.Values.SelectMany(c => c).Where(c => c.After == name).Sum(c => c.Size);
            foreach (var recipe in Recipes.Values.OrderByDescending(r => r.Size).Skip(1)) recipe.Niceness = 5;
            for (int i = 0; i < SideBySide; i++)
            {
                var worker = new Thread(Work) { IsBackground = true, Name = $"finding runs {i + 1}" };
                Workers.Add(worker);
                worker.Start();
            }
            new Thread(ReportProgress) { IsBackground = true, Name = "finding runs progress" }.Start();
        }
    }

    /// <summary>Cancels the cells no test asked for (a filtered session) and waits for the workers, so no run outlives the session.</summary>
    public static void Stop()
    {
        Cancel.Cancel();
        lock (Gate) Monitor.PulseAll(Gate);
        foreach (var worker in Workers) worker.Join();
    }

    private static IReadOnlyList<(string Dir, RunMetrics Metrics)> Get(string file)
    {
        Job[] jobs;
        lock (Gate)
        {
            if (Workers.Count == 0) throw new InvalidOperationException("FindingRuns.Start was not called: the findings SetUpFixture did not run");
            jobs = Cells.TryGetValue(file, out var queued) ? queued : Queue(file);
            foreach (var job in jobs.Concat(Recipes.Values)) job.Demanded = true;
            anyCellAsked = true;
            Monitor.PulseAll(Gate);
        }
        return jobs.Select(j => j.Done.Task.GetAwaiter().GetResult()).ToArray();
    }

    private static Job[] Queue(string file)
    {
        var root = Path.Combine(RunsRoot, Path.GetFileNameWithoutExtension(file));
        var jobs = ScenarioLoader.Load(file).Select(scenario =>
        {
            // The folders harness run --out root makes, so that harness check --out root reads them.
            var dir = scenario.Cell.Count == 0 ? root : Path.Combine(root, scenario.CellFolder);
            var recipe = TinyRecipes.RecipeOf(scenario.Model.Checkpoint);
            // Updates × rows is a rough size; it only orders the cells no test waits for yet.
            return new Job($"{Path.GetFileNameWithoutExtension(file)} {scenario.CellFolder}".TrimEnd(), recipe is not null && Recipes.ContainsKey(recipe) ? recipe : null,
                (double)scenario.Training.Steps * scenario.Data.BatchSize, cancel =>
                {
                    if (Directory.Exists(dir)) Directory.Delete(dir, true);
                    string[] cell = scenario.Cell.Count == 0 ? [] : ["--cell", scenario.Name];
                    HarnessCommand.Run(["run", file, "--out", root, .. cell], dir + ".log", cancel, niceness: 10);
                    var metrics = RunAnalyzer.Compute(dir); // harness run has written metrics.json, tables and plots
                    return (dir, metrics);
                })
            {
                Checkpoint = recipe is null ? null : scenario.Model.Checkpoint,
                LogFile = dir + ".log",
                Phases = scenario.Pretrain is { Steps: > 0 } pre ? [("pretrain", pre.Steps), ("train", scenario.Training.Steps)] : [("train", scenario.Training.Steps)],
            };
        }).ToArray();
        Cells[file] = jobs;
        Pending.AddRange(jobs);
        return jobs;
    }

    private static void Work()
    {
        while (true)
        {
            Job? job;
            lock (Gate)
            {
                while ((job = Next()) is null)
                {
                    if (Pending.Count == 0) return;
                    if (Cancel.IsCancellationRequested && running == 0)
                    {
                        // Stop runs after the last test, so what is left was never asked for (or waits on a failure).
                        foreach (var left in Pending) left.Done.TrySetCanceled();
                        Pending.Clear();
                        Monitor.PulseAll(Gate);
                        return;
                    }
                    // Woken when a job ends, and every few seconds to see whether a recipe has saved a stage a cell needs.
                    Monitor.Wait(Gate, TimeSpan.FromSeconds(5));
                }
                Pending.Remove(job);
                running++;
            }
            job.Execute(job.After is { } recipe && !job.CheckpointSaved ? Recipes[recipe].Done.Task.Exception : null, Cancel.Token);
            lock (Gate)
            {
                running--;
                Monitor.PulseAll(Gate);
            }
        }
    }

    /// <summary>Called under the gate: a job that may start now, those asked for first, then the largest.</summary>
    private static Job? Next()
    {
        Job? best = null;
        foreach (var job in Pending)
        {
            if (job.After is { } recipe && !Recipes[recipe].Done.Task.IsCompleted && !job.CheckpointSaved) continue;
            if (!job.Demanded && (!Prefetch || !anyCellAsked || Cancel.IsCancellationRequested)) continue;
            if (best is null || (job.Demanded, job.Size).CompareTo((best.Demanded, best.Size)) > 0) best = job;
        }
        return best;
    }

    private static readonly IProgress<string> Log = new Progress<string>(Say);

    /// <summary>
    /// Progress on dotnet test's console (the findings project's runsettings show NUnit's progress writer): each recipe
    /// and cell as it starts and ends, and every minute the running ones with their share done, time so far and time
    /// left, read from the progress lines their processes log.
    /// </summary>
    private static void Say(string line)
    {
        lock (TestContext.Progress) TestContext.Progress.WriteLine($"[findings {Session.Elapsed:mm\\:ss}] {line}");
    }

    private static readonly System.Diagnostics.Stopwatch Session = System.Diagnostics.Stopwatch.StartNew();

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_PROGRESS_SECONDS"), out var s) && s > 0 ? s : 60);

    private static void ReportProgress()
    {
        while (!Cancel.Token.WaitHandle.WaitOne(ProgressEvery))
        {
            Job[] now;
            int done, all;
            lock (Gate)
            {
                // The runs this session will make: those asked for, and with prefetch on, every queued one.
                var jobs = Recipes.Values.Concat(Cells.Values.SelectMany(c => c)).Where(j => j.Demanded || j.Started is not null || (Prefetch && anyCellAsked)).ToArray();
                now = jobs.Where(j => j.Started is not null && !j.Done.Task.IsCompleted).ToArray();
                done = jobs.Count(j => j.Done.Task.IsCompleted);
                all = jobs.Length;
            }
            if (now.Length == 0) continue;
            Say($"{done} of {all} runs done; running: " + string.Join("; ", now.Select(j => j.Status())));
        }
    }

    private sealed class Job(string name, string? after, double size, Func<CancellationToken, (string Dir, RunMetrics Metrics)> run)
    {
        public string Name { get; } = name;
        /// <summary>The pretraining recipe this job waits for, when that recipe is being built in this session.</summary>
        public string? After { get; } = after;
        public double Size { get; set; } = size;
        /// <summary>How much lower than normal its process's CPU priority is (<c>nice</c>).</summary>
        public int Niceness { get; set; }
        /// <summary>The built-in checkpoint a cell starts from: it may start as soon as that stage is saved.</summary>
        public string? Checkpoint { get; init; }
        public bool CheckpointSaved => Checkpoint is not null && TinyCheckpointCache.IsBuilt(Checkpoint);
        public bool Demanded { get; set; }
        /// <summary>The log its process writes, whose progress lines say how far it is.</summary>
        public string? LogFile { get; init; }
        /// <summary>Its progress bars (phase, updates) in the order they run.</summary>
        public IReadOnlyList<(string Phase, int Updates)> Phases { get; init; } = [];
        public System.Diagnostics.Stopwatch? Started { get; private set; }
        /// <summary>The held-out loss at which a recipe stops early: its updates are then an upper bound, and so is the time left.</summary>
        public double? StopAtLoss { get; init; }

        /// <summary>
        /// "name: 57% (137 of 240 updates), 1:10 so far, ~0:53 left", from the last progress line of each phase; for a
        /// recipe that stops at a held-out loss, "name: 640 of at most 4000 updates, loss 0.812 (stops at held-out loss
        /// 0.75), 9:00 so far, at most ~47:00 left".
        /// </summary>
        public string Status()
        {
            var elapsed = Started?.Elapsed ?? TimeSpan.Zero;
            double total = Phases.Sum(p => (double)p.Updates), updates = 0;
            string? loss = null;
            try
            {
                var text = LogFile is not null && File.Exists(LogFile) ? ReadShared(LogFile) : "";
                foreach (var (phase, n) in Phases)
                {
                    var last = System.Text.RegularExpressions.Regex.Matches(text, $@"(?m)^\s*{phase} loss ([^:]*): (\d+)%").LastOrDefault();
                    if (last is null) continue;
                    updates += n * int.Parse(last.Groups[2].Value) / 100.0;
                    loss = last.Groups[1].Value;
                }
            }
            catch (IOException) { }
            double share = total > 0 ? updates / total : 0;
            var remaining = share > 0.02 ? Clock(elapsed * ((1 - share) / share)) : null;
            if (StopAtLoss is { } target)
                return $"{Name}: {updates:F0} of at most {total:F0} updates" + (loss is null ? "" : $", loss {loss}") +
                       $" (stops at held-out loss {target.ToString(System.Globalization.CultureInfo.InvariantCulture)}), {Clock(elapsed)} so far" +
                       (remaining is null ? "" : $", at most ~{remaining} left");
            var count = Phases.Count == 1 && Phases[0].Updates > 1 ? $" ({updates:F0} of {total:F0} updates)" : "";
            return $"{Name}: {share:P0}{count}, {Clock(elapsed)} so far" + (remaining is null ? "" : $", ~{remaining} left");
        }

        private static string ReadShared(string path)
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(s);
            return r.ReadToEnd();
        }

        private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
        public TaskCompletionSource<(string Dir, RunMetrics Metrics)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute(AggregateException? recipeFailure, CancellationToken cancel)
        {
            if (recipeFailure is not null)
            {
                Done.SetException(new InvalidOperationException($"{Name}: its checkpoint's pretraining failed: {recipeFailure.InnerException?.Message}", recipeFailure.InnerException));
                return;
            }
            Started = System.Diagnostics.Stopwatch.StartNew();
            Say($"start {Name} (log {LogFile})");
            try
            {
                Done.SetResult(run(cancel));
                Say($"done {Name} in {Clock(Started.Elapsed)}");
            }
            catch (Exception e)
            {
                Say($"failed {Name} after {Clock(Started.Elapsed)}: {e.Message.Split('\n')[0]}");
                Done.SetException(e);
            }
        }
    }
}

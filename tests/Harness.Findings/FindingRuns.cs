using NUnit.Framework;
using Harness.Analysis;
using Harness.Scenarios;
using Harness.Training;

namespace Harness.Findings;

/// <summary>
/// The runs behind the findings tests, each made once per test session: the missing tiny pretraining recipes and every
/// matrix cell of every findings scenario, on <see cref="SideBySide"/> background workers. These small models use two
/// cores better side by side than one after the other (docs/performance.md), but see <see cref="SideBySide"/>.
/// Determinism: only seeding and weight initialisation take turns (<see cref="TorchRuntime.InitGate"/>), and runs with
/// different thread counts never overlap, because libtorch's BLAS thread count is global to the process; so every run
/// is bitwise what it would be alone.
/// Order: nothing starts before a test asks for a scenario's runs or a checkpoint. The recipes and the cells asked for
/// go first, and the other cells fill free workers, largest first; a cell waits for the recipe that makes its
/// checkpoint. Cells no test asked for are cancelled when the session ends. HARNESS_FINDINGS_PREFETCH=0 runs only what
/// the tests ask for, so a filtered session does not share the cores with cells it will not read.
/// </summary>
internal static class FindingRuns
{
    /// <summary>
    /// Workers: HARNESS_FINDINGS_WORKERS, default 1. Three side by side measured 1.3–1.6× the throughput, but one of three
    /// cold runs so had a forgetting cell fail inside libtorch (an addition's scalar read as garbage), which points to a
    /// race between runs in one process; until that is found, the default runs one thing at a time.
    /// </summary>
    private static readonly int SideBySide = int.TryParse(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_WORKERS"), out var n) && n > 0 ? n : 1;

    private static readonly object Gate = new();
    private static readonly List<Job> Pending = [];
    private static readonly Dictionary<string, Job> Recipes = [];
    private static readonly Dictionary<string, Job[]> Cells = [];
    private static readonly List<Thread> Workers = [];
    private static readonly CancellationTokenSource Cancel = new();
    private static readonly bool Prefetch = Environment.GetEnvironmentVariable("HARNESS_FINDINGS_PREFETCH") is not ("0" or "false");
    private static bool anyCellAsked;
    private static int running, runningThreads;

    public static IReadOnlyList<RunMetrics> Of(string scenarioFile) => Get(scenarioFile).Select(r => r.Metrics).ToArray();

    /// <summary>The run directories of the scenario's cells, in matrix order.</summary>
    public static IReadOnlyList<string> Directories(string scenarioFile) => Get(scenarioFile).Select(r => r.Dir).ToArray();

    /// <summary>A built-in checkpoint's folder; asking starts the missing recipes side by side.</summary>
    public static string Checkpoint(string spec)
    {
        lock (Gate)
        {
            foreach (var recipe in Recipes.Values) recipe.Demanded = true;
            Monitor.PulseAll(Gate);
        }
        return TinyCheckpoints.Ensure(spec, Log);
    }

    /// <summary>Queues the missing recipes and every cell of the scenarios; the workers wait for the first test to ask.</summary>
    public static void Start(IEnumerable<string> scenarioFiles)
    {
        lock (Gate)
        {
            if (Workers.Count > 0) return;
            foreach (var recipe in TinyCheckpoints.Missing())
            {
                int threads = ScenarioLoader.Load(Path.Combine(RepositoryPaths.Root, "scenarios", "tiny", recipe + ".yaml"))[0].Runtime.Threads;
                Recipes[recipe] = new Job($"pretraining {recipe}", null, threads, double.MaxValue, _ =>
                {
                    TinyCheckpoints.EnsureRecipe(recipe, Log);
                    return default;
                });
            }
            Pending.AddRange(Recipes.Values);
            foreach (var file in scenarioFiles) Queue(file);
            for (int i = 0; i < SideBySide; i++)
            {
                var worker = new Thread(Work) { IsBackground = true, Name = $"finding runs {i + 1}" };
                Workers.Add(worker);
                worker.Start();
            }
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
        // HARNESS_FINDINGS_DIR keeps the run directories (the nightly workflow uploads them); by default they are temporary.
        var root = Path.Combine(Environment.GetEnvironmentVariable("HARNESS_FINDINGS_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Path.GetTempPath(), "harness-findings"), Path.GetFileNameWithoutExtension(file));
        var jobs = ScenarioLoader.Load(file).Select(scenario =>
        {
            // The folders harness run --out root makes, so that harness check --out root reads them.
            var dir = scenario.Cell.Count == 0 ? root : Path.Combine(root, scenario.CellFolder);
            var recipe = TinyCheckpoints.RecipeOf(scenario.Model.Checkpoint);
            // Updates × rows is a rough size; it only orders the cells no test waits for yet.
            return new Job($"{Path.GetFileNameWithoutExtension(file)} {scenario.CellFolder}", recipe is not null && Recipes.ContainsKey(recipe) ? recipe : null,
                scenario.Runtime.Threads, (double)scenario.Training.Steps * scenario.Data.BatchSize, cancel =>
                {
                    if (Directory.Exists(dir)) Directory.Delete(dir, true);
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    TrainingRun.Execute(RunInputsResolver.Resolve(scenario, Log), dir, cancel: cancel);
                    var metrics = RunAnalyzer.Analyze(dir);
                    Log.Report($"{scenario.Name}: {clock.Elapsed.TotalSeconds:F0} s, run directory {dir}");
                    return (dir, metrics);
                });
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
                    Monitor.Wait(Gate);
                }
                Pending.Remove(job);
                running++;
                runningThreads = job.Threads;
            }
            job.Execute(job.After is { } recipe ? Recipes[recipe].Done.Task.Exception : null, Cancel.Token);
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
            if (running > 0 && job.Threads != runningThreads) continue;
            if (job.After is { } recipe && !Recipes[recipe].Done.Task.IsCompleted) continue;
            if (!job.Demanded && (!Prefetch || !anyCellAsked || Cancel.IsCancellationRequested)) continue;
            if (best is null || (job.Demanded, job.Size).CompareTo((best.Demanded, best.Size)) > 0) best = job;
        }
        return best;
    }

    private static readonly IProgress<string> Log = new Progress<string>(TestContext.Progress.WriteLine);

    private sealed class Job(string name, string? after, int threads, double size, Func<CancellationToken, (string Dir, RunMetrics Metrics)> run)
    {
        public string Name { get; } = name;
        /// <summary>The pretraining recipe this job waits for, when that recipe is being built in this session.</summary>
        public string? After { get; } = after;
        public int Threads { get; } = threads;
        public double Size { get; } = size;
        public bool Demanded { get; set; }
        public TaskCompletionSource<(string Dir, RunMetrics Metrics)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute(AggregateException? recipeFailure, CancellationToken cancel)
        {
            if (recipeFailure is not null)
            {
                Done.SetException(new InvalidOperationException($"{Name}: its checkpoint's pretraining failed: {recipeFailure.InnerException?.Message}", recipeFailure.InnerException));
                return;
            }
            try { Done.SetResult(run(cancel)); }
            catch (Exception e) { Done.SetException(e); }
        }
    }
}

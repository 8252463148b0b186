using System.Text.RegularExpressions;
using Harness.Data;
using Harness.Data.Knowledge;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>
/// Checks that need more than one key (groups against the knowledge set and the step count, batch arithmetic), pointing
/// at the key to change. Of the keys a check involves, the error points at the one written in the most derived file
/// (a child over the base it extends), since that is the value that broke the combination; it names where the other is.
/// </summary>
public static partial class ScenarioValidator
{
    /// <param name="files">The scenario file first, then the files it extends (<see cref="ComposedScenario.Files"/>).</param>
    public static void Validate(Scenario s, IReadOnlyDictionary<string, SourceMark> marks, KnowledgeShape shape, IReadOnlyList<string>? files = null)
    {
        void Fail(string path, string problem, string fix, params string[] alsoSetBy) =>
            throw Mistake(s, marks, files, path, problem, fix, alsoSetBy);

        var a = s.Model.Architecture;
        if (a.DModel % a.Heads != 0)
            Fail("model.architecture.heads", $"heads {a.Heads} does not divide d_model {a.DModel}", "pick heads that divide d_model", "model.architecture.d_model");
        if (s.Data.BatchSize % s.Training.GradAccumulation != 0)
            Fail("training.grad_accumulation", $"grad_accumulation {s.Training.GradAccumulation} does not divide batch_size {s.Data.BatchSize}",
                "pick a divisor of data.batch_size", "data.batch_size");
        if (s.Injection.MaxRowsPerStep > s.Data.BatchSize)
            Fail("injection.max_rows_per_step", $"max_rows_per_step {s.Injection.MaxRowsPerStep} exceeds batch_size {s.Data.BatchSize}",
                "use at most the batch size (0 means the batch size)", "data.batch_size");
        if (s.Probes.Evaluate.PointsPerDecade > 1000)
            Fail("probes.evaluate.points_per_decade", $"points_per_decade {s.Probes.Evaluate.PointsPerDecade} is more than 1000", "use at most 1000 (or dense evaluation: evaluate.every: 1)");
        if (s.Pretrain is { } pre)
            foreach (var (stage, step) in pre.SaveAt)
                if (!StageName().IsMatch(stage) || stage == ReservedStage)
                    Fail("pretrain.save_at", $"stage '{stage}' cannot name its checkpoint folder"
                        + (stage == ReservedStage ? $" ({ReservedStage} holds a build's resume state)" : ""),
                        $"use letters, digits, - and _ (starting with a letter or digit), other than {ReservedStage}");
                else if (step > pre.Steps)
                    Fail("pretrain.save_at", $"stage {stage} is saved at update {step}, after the last pretraining update {pre.Steps}",
                        $"save it at most at update {pre.Steps}, or raise pretrain.steps", "pretrain.steps");
        if (s.Pretrain is { StopAtLoss: > 0 } stop)
        {
            if (s.Data.Corpus != BuiltinNames.SyntheticWorld)
                Fail("pretrain.stop_at_loss", "stop_at_loss measures held-out loss on the synthetic world, but data.corpus is " + s.Data.Corpus,
                    $"use data.corpus: {BuiltinNames.SyntheticWorld}, or remove stop_at_loss and set pretrain.steps", "data.corpus");
            if (s.Injection.Groups.Count > 0)
                Fail("pretrain.stop_at_loss", "stop_at_loss ends pretraining at a step known only at run time, which only pretraining recipes support (harness pretrain)",
                    $"set pretrain.steps instead (the recipe's harness.json records the step its stages stopped at)");
        }
        if (s.Cluster.GraceProblem() is { } grace)
            Fail(marks.ContainsKey("cluster.checkpoint_grace") ? "cluster.checkpoint_grace" : "cluster.time_limit", grace,
                "lower cluster.checkpoint_grace or raise cluster.time_limit");
        if (s.Analysis.FitTo != 0 && s.Analysis.FitTo < s.Analysis.FitFrom)
            Fail("analysis.fit_to", $"fit_to {s.Analysis.FitTo} is before fit_from {s.Analysis.FitFrom}", "use 0 (to the end) or a value >= fit_from", "analysis.fit_from");
        foreach (var (phase, opt, sched) in new[] { ("training", s.Training.Optimizer, s.Training.Schedule) }
                     .Concat(s.Pretrain is { } p ? [("pretrain", p.Optimizer, p.Schedule)] : []))
        {
            if (s.Model.Checkpoint != BuiltinNames.Scratch) continue;
            if (opt.State == "resume") Fail($"{phase}.optimizer.state", "optimizer state resume needs a checkpoint, but model.checkpoint is scratch", "use state: fresh or set model.checkpoint", "model.checkpoint");
            if (sched.Name.StartsWith("resume", StringComparison.Ordinal))
                Fail($"{phase}.schedule.name", $"schedule {sched.Name} needs a checkpoint, but model.checkpoint is scratch", "use constant, linear or cosine, or set model.checkpoint", "model.checkpoint");
        }
        Groups(s, shape, marks, Fail);
    }

    /// <summary>
    /// What the tokenizer would do to the knowledge (<see cref="KnowledgeTokens"/>): the first degradation is an error,
    /// or, with <c>knowledge.on_degraded: warn</c>, every one is a warning (returned, with its position).
    /// </summary>
    public static IReadOnlyList<string> Degradations(Scenario s, IReadOnlyDictionary<string, SourceMark> marks, IReadOnlyList<Degradation> found,
        IReadOnlyList<string>? files = null)
    {
        if (found.Count == 0) return [];
        if (s.Knowledge.OnDegraded != "warn")
            throw Mistake(s, marks, files, found[0].Key, found[0].Problem, found[0].Fix, found[0].AlsoSetBy);
        return found.Select(d => Mistake(s, marks, files, d.Key, d.Problem, d.Fix, d.AlsoSetBy))
            .Select(e => $"{e.At}: {e.Problem} (knowledge.on_degraded: warn)").ToList();
    }

    /// <summary>A key not written in the file points at its closest written parent.</summary>
    static SourceMark At(Scenario s, IReadOnlyDictionary<string, SourceMark> marks, string path)
    {
        for (var p = path; ; p = p.Contains('.') ? p[..p.LastIndexOf('.')] : "")
            if (marks.TryGetValue(p, out var m)) return m;
            else if (p.Length == 0) return new SourceMark(s.SourcePath, 1, 1);
    }

    /// <summary>
    /// The error at <paramref name="path"/>, or at the key of <paramref name="alsoSetBy"/> that the most derived file set;
    /// when <paramref name="path"/> is not written at all (its default), at the first written one of them.
    /// </summary>
    static ScenarioException Mistake(Scenario s, IReadOnlyDictionary<string, SourceMark> marks, IReadOnlyList<string>? files,
        string path, string problem, string fix, IReadOnlyList<string> alsoSetBy)
    {
        int Rank(SourceMark m) => files?.ToList().IndexOf(m.File) is >= 0 and var i ? i : int.MaxValue;
        var primary = At(s, marks, path);
        var written = alsoSetBy.Where(marks.ContainsKey).Select(p => (Path: p, Mark: marks[p])).ToList();
        if (!marks.ContainsKey(path) && written.Count > 0) return new ScenarioException(written.OrderBy(w => Rank(w.Mark)).First().Mark, problem, fix);
        var latest = written.Where(w => Rank(w.Mark) < Rank(primary)).OrderBy(w => Rank(w.Mark)).FirstOrDefault();
        return latest.Path is null ? new ScenarioException(primary, problem, fix) : new ScenarioException(latest.Mark, $"{problem}; {path} is set at {primary}", fix);
    }

    /// <summary>A pretraining recipe: nothing to log (no injection groups) and stages to save (<c>pretrain.save_at</c>).</summary>
    public static bool IsRecipe(Scenario s) => s.Injection.Groups.Count == 0 && s.Pretrain is { SaveAt.Count: > 0 };

    /// <summary>The folder of a recipe's resume state beside its stage folders; no stage may take its name.</summary>
    public const string ReservedStage = "checkpoint";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex StageName();

    /// <summary>What <paramref name="use"/> needs of a well-formed scenario (see <see cref="ScenarioUse"/>).</summary>
    public static void ValidateUse(Scenario s, IReadOnlyDictionary<string, SourceMark> marks, ScenarioUse use)
    {
        void Fail(string path, string problem, string fix) => throw new ScenarioException(At(s, marks, path), problem, fix);
        var build = $"harness pretrain {ScenarioComposer.DisplayName(s.SourcePath)} --out DIR";
        if (use is ScenarioUse.Run or ScenarioUse.RunOrRecipe && s.Injection.Groups.Count == 0 && !(use == ScenarioUse.RunOrRecipe && IsRecipe(s)))
        {
            const string nothing = "nothing to log: no injection groups, so no item is injected or probed and harness run would train, then have no trajectory to write";
            if (IsRecipe(s))
                Fail("injection.groups", $"{nothing}; its product is its pretrain.save_at stages ({string.Join(", ", s.Pretrain!.SaveAt.Keys)})",
                    $"this is a pretraining recipe: build it with {build}, then name a stage by path in a scenario (model.checkpoint: DIR/{s.Pretrain.SaveAt.Keys.First()})");
            Fail("injection.groups", nothing,
                "add injection.groups (e.g. `- { name: once, items: 0..9, at: [0] }`, or `control: true` for items only probed), "
                + "or pretrain.save_at to make the file a pretraining recipe for harness pretrain");
        }
        if (use != ScenarioUse.Recipe) return;
        if (s.Pretrain is not { } pre)
            Fail("pretrain", "a pretraining recipe needs a pretrain section", "add pretrain: { steps: 1000, save_at: { early: 500, late: 1000 } }");
        else if (pre.SaveAt.Count == 0)
            Fail("pretrain.save_at", "pretrain.save_at names no stage, so the build would save nothing", "add save_at: { early: 500, late: 1000 } (stage: update)");
        if (s.Injection.Groups.Count > 0)
            Fail("injection.groups", "a pretraining recipe injects nothing: harness pretrain would ignore injection.groups",
                "remove injection from the recipe, and inject in a scenario that names one of its stages by model.checkpoint");
        if (s.Model.Checkpoint != BuiltinNames.Scratch)
            Fail("model.checkpoint", $"a pretraining recipe pretrains from scratch, but model.checkpoint is {s.Model.Checkpoint}",
                "use model.checkpoint: scratch with model.architecture, or continue that checkpoint in a scenario's own pretrain section");
    }

    delegate void Failure(string path, string problem, string fix, params string[] alsoSetBy);

    static void Groups(Scenario s, KnowledgeShape shape, IReadOnlyDictionary<string, SourceMark> marks, Failure fail)
    {
        var owner = new Dictionary<int, string>();
        var groups = s.Injection.Groups;
        var last = s.Training.Steps - 1;
        for (var g = 0; g < groups.Count; g++)
        {
            var grp = groups[g];
            var p = $"injection.groups[{g}]";
            if (groups.Take(g).Any(x => x.Name == grp.Name)) fail($"{p}.name", $"group name '{grp.Name}' is used twice", "give each group its own name");
            foreach (var i in grp.Items)
            {
                if (i >= shape.Count)
                    fail($"{p}.items", $"item {i} is beyond the knowledge set ({shape.Count} items: 0..{shape.Count - 1})",
                        "use items inside the set, or a larger knowledge set (knowledge.items for the built-in one)", "knowledge.items", "knowledge.source");
                if (!owner.TryAdd(i, grp.Name))
                    fail($"{p}.items", $"item {i} is in group '{owner[i]}' and again in group '{grp.Name}'", "put each item in one group");
            }
            if (grp.Control)
            {
                if (grp.At.Count > 0) fail($"{p}.at", $"control group '{grp.Name}' has `at`, but controls are never injected", "remove `at` or `control: true`");
                continue;
            }
            if (grp.At.Count == 0) fail(p, $"group '{grp.Name}' has no `at`", "add e.g. `at: [0]`, or `control: true` for a group that is only probed");
            if (grp.Text != "explicit" && grp.Variants.Count > 0)
                fail($"{p}.variants", $"variants are given but text is {grp.Text}", "set text: explicit or remove variants");
            if (grp.Text == "explicit" && grp.Variants.Count != grp.At.Count)
                fail(grp.Variants.Count == 0 ? $"{p}.text" : $"{p}.variants",
                    $"text: explicit needs one variant per encounter: {grp.At.Count} encounters, {grp.Variants.Count} variants", $"list {grp.At.Count} variants");
            var needed = Enumerable.Range(0, grp.At.Count).Max(k => ScenarioCompiler.Variant(grp, k));
            foreach (var i in grp.Items.Where(i => shape.Paraphrases(i) < needed))
                fail(grp.Text == "explicit" ? $"{p}.variants" : $"{p}.text",
                    $"item {i} has {shape.Paraphrases(i)} paraphrases, but text: {grp.Text} with {grp.At.Count} encounters needs {needed}",
                    "use text: original, fewer encounters, or items that have paraphrases (in the paper, items 0..39)", "knowledge.items", "knowledge.source");
            var lastNominal = grp.At[^1] + (long)(grp.Items.Count - 1) * s.Injection.Stagger;
            if (lastNominal > last)
                fail($"{p}.at", $"group '{grp.Name}' injects {KnowledgeItem.IdFor(grp.Items[^1])} at step {lastNominal}"
                    + (s.Injection.Stagger > 0 ? $" (last encounter {grp.At[^1]} + stagger {s.Injection.Stagger} x {grp.Items.Count - 1})" : "")
                    + $", past the last training update {last} (training.steps: {s.Training.Steps})",
                    $"raise training.steps to at least {lastNominal + 1}, or inject earlier", "training.steps", "injection.stagger");
        }
        SpillOver(s, shape, marks, fail);
    }

    /// <summary>Spill-over may push an injection past the end, or an encounter onto the item's next one.</summary>
    static void SpillOver(Scenario s, KnowledgeShape shape, IReadOnlyDictionary<string, SourceMark> marks, Failure fail)
    {
        var plan = ScenarioCompiler.Compile(s, shape);
        var rowsKey = new[] { "injection.max_rows_per_step", "data.batch_size" }.FirstOrDefault(marks.ContainsKey) ?? "injection.groups";
        var rows = ScenarioCompiler.RowsPerStep(s);
        var late = plan.Injections.FirstOrDefault(i => i.Step >= s.Training.Steps);
        if (late is not null)
            fail(rowsKey, $"with {rows} knowledge rows per step, {late.Item} (group '{late.Group}') spills over to step {late.Step}, past the last training update {s.Training.Steps - 1}",
                $"raise training.steps to at least {plan.Injections.Max(i => i.Step) + 1}, allow more rows per step, or use injection.stagger", "training.steps");
        var clash = plan.Injections.GroupBy(i => (i.ItemIndex, i.Step)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            fail(rowsKey, $"with {rows} knowledge rows per step, encounters of {clash.First().Item} spill onto the same step {clash.Key.Step}",
                "allow more rows per step, space the encounters further apart, or use injection.stagger");
    }
}

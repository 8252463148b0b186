using Harness.Cluster;
using Harness.Data;
using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>
/// A fully resolved experiment (after <c>extends</c> and one cell of <c>matrix</c>). Every number of the protocol lives
/// here; nothing downstream may hard-code one. Field names follow the YAML keys (snake_case there, PascalCase here).
/// Paths (checkpoint, tokenizer, corpus, knowledge source) are absolute once loaded, or a <c>builtin:</c> name.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    /// <summary>The file it came from (absolute); relative paths inside resolve against its folder.</summary>
    public string SourcePath { get; init; } = "";
    public int Seed { get; init; } = 1234;
    public RuntimeSpec Runtime { get; init; } = new();
    public ModelSpec Model { get; init; } = new();
    public string Tokenizer { get; init; } = BuiltinNames.WorldWords;
    public DataSpec Data { get; init; } = new();
    public KnowledgeSpec Knowledge { get; init; } = new();
    /// <summary>Background-only training before log step 0 (from scratch or from the checkpoint); not logged.</summary>
    public PretrainSpec? Pretrain { get; init; }
    public TrainingSpec Training { get; init; } = new();
    public InjectionSpec Injection { get; init; } = new();
    public ProbeSpec Probes { get; init; } = new();
    public AnalysisSpec Analysis { get; init; } = new();
    /// <summary>Resources of each array task under <c>harness submit</c>; the same for every cell.</summary>
    public ClusterSpec Cluster { get; init; } = new();
    /// <summary>The matrix cell this scenario is (axis → label), empty when the file has no matrix.</summary>
    public IReadOnlyDictionary<string, string> Cell { get; init; } = new Dictionary<string, string>();

    /// <summary>A matrix cell's run folder name, axes in ordinal order (<c>seed-11_stage-early</c>); "" outside a matrix.</summary>
    public string CellFolder => string.Join("_", Cell.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}-{c.Value}"));
    public IReadOnlyList<Expectation> Expect { get; init; } = [];
}

public sealed record RuntimeSpec
{
    /// <summary>cpu | cuda | auto.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Torch intra-op threads; part of the determinism contract (results may differ between counts).</summary>
    public int Threads { get; init; } = 2;
    /// <summary>Save a resumable run checkpoint every N updates (0: only at the end).</summary>
    public int CheckpointEvery { get; init; } = 0;
    /// <summary>auto | fp32 | bf16: dtype of the model's matmuls (weights and optimizer state stay fp32); auto is bf16 on CUDA, fp32 on CPU.</summary>
    public string Precision { get; init; } = "auto";
}

public sealed record ModelSpec
{
    /// <summary><c>scratch</c>, <c>builtin:tiny/early|mid|late</c>, or a Hugging Face-style folder.</summary>
    public string Checkpoint { get; init; } = BuiltinNames.Scratch;
    /// <summary>Architecture for <c>scratch</c>; a checkpoint brings its own config.json.</summary>
    public ArchitectureSpec Architecture { get; init; } = new();
}

public sealed record ArchitectureSpec
{
    /// <summary>olmo (non-parametric LayerNorm, SwiGLU, RoPE, no biases) | llama (RMSNorm).</summary>
    public string Family { get; init; } = "olmo";
    public int DModel { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    /// <summary>SwiGLU hidden width; 0 means the usual 8/3·d rounded up to a multiple of 64.</summary>
    public int MlpHidden { get; init; } = 0;
    public bool TieEmbeddings { get; init; } = true;
    public double RopeTheta { get; init; } = 10000;
}

public sealed record DataSpec
{
    /// <summary><c>builtin:synthetic-world</c>, or a .npy/.bin token array, .jsonl or .txt file.</summary>
    public string Corpus { get; init; } = BuiltinNames.SyntheticWorld;
    public int SequenceLength { get; init; } = 128;
    public int BatchSize { get; init; } = 16;
}

public sealed record KnowledgeSpec
{
    /// <summary><c>builtin:fictional-knowledge</c> or a path to the paper's fictional_knowledge*.json.</summary>
    public string Source { get; init; } = BuiltinNames.FictionalKnowledge;
    /// <summary>How many items the built-in generator makes (ignored for files).</summary>
    public int Items { get; init; } = 32;
    /// <summary>
    /// error | warn: what validate and run do when the tokenizer would degrade the knowledge (a cut that removes a probed
    /// target, an unknown token, an empty target, a tokenizer without all byte tokens); see <see cref="KnowledgeTokens"/>.
    /// </summary>
    public string OnDegraded { get; init; } = "error";
}

public sealed record PretrainSpec
{
    public int Steps { get; init; }
    /// <summary>Named checkpoints to save during pretraining (stage → update), e.g. early/mid/late.</summary>
    public IReadOnlyDictionary<string, int> SaveAt { get; init; } = new Dictionary<string, int>();
    /// <summary>
    /// End pretraining at the first check where the held-out background loss is at or below this (0: off); stages due
    /// later are saved there. It lets models of different width be compared at matched loss rather than matched steps.
    /// </summary>
    public double StopAtLoss { get; init; }
    /// <summary>Updates between held-out loss checks when <see cref="StopAtLoss"/> is set.</summary>
    public int CheckEvery { get; init; } = 50;
    public OptimizerSpec Optimizer { get; init; } = new();
    public ScheduleSpec Schedule { get; init; } = new();
}

public sealed record TrainingSpec
{
    /// <summary>Logged updates after the checkpoint: log steps 0..Steps exist.</summary>
    public int Steps { get; init; } = 100;
    public OptimizerSpec Optimizer { get; init; } = new();
    public ScheduleSpec Schedule { get; init; } = new();
    /// <summary>Micro-batches per update; BatchSize must divide by it.</summary>
    public int GradAccumulation { get; init; } = 1;
}

public sealed record OptimizerSpec
{
    public string Name { get; init; } = "adamw";
    public double Lr { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    public double GradClip { get; init; } = 1.0;
    /// <summary>fresh | resume (take the checkpoint's optimizer state when it has one).</summary>
    public string State { get; init; } = "fresh";
}

public sealed record ScheduleSpec
{
    /// <summary>
    /// constant | linear | cosine | resume (continue the checkpoint's own schedule at its step) | resume-constant (hold,
    /// constant, the rate the checkpoint's schedule has at its step: the paper's batch-128 runs).
    /// </summary>
    public string Name { get; init; } = "constant";
    /// <summary>
    /// For resume-constant: OLMo training checkpoints whose schedules' rates at their steps are averaged and held (the
    /// paper's footnote 5 and Appendix F); null: the run's own checkpoint. Null rather than empty, and left out of JSON,
    /// so that a run recorded before the key existed keeps its identity (<see cref="Runs.RunIdentity"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? RateOf { get; init; }
    public int WarmupSteps { get; init; } = 0;
    /// <summary>Length of the decay for linear/cosine; 0 means the phase's own step count.</summary>
    public int DecaySteps { get; init; } = 0;
    /// <summary>Final learning rate as a fraction of the peak, for linear/cosine.</summary>
    public double FinalLrFraction { get; init; } = 0.1;
}

public sealed record InjectionSpec
{
    /// <summary>prepend (knowledge + EOT + original row, cut to sequence length, as the paper) | replace.</summary>
    public string Placement { get; init; } = "prepend";
    public IReadOnlyList<InjectionGroup> Groups { get; init; } = [];
    /// <summary>Item j of a group starts j·Stagger steps later.</summary>
    public int Stagger { get; init; } = 0;
    /// <summary>At most this many rows of one update carry knowledge; 0 means the batch size. Overflow spills to the next steps.</summary>
    public int MaxRowsPerStep { get; init; } = 0;
}

public sealed record InjectionGroup
{
    public required string Name { get; init; }
    /// <summary>0-based indices into the knowledge set.</summary>
    public required IReadOnlyList<int> Items { get; init; }
    /// <summary>Encounter steps of the group's first item, relative to log step 0, ascending (empty for controls).</summary>
    public IReadOnlyList<int> At { get; init; } = [];
    /// <summary>original | paraphrase | explicit.</summary>
    public string Text { get; init; } = "original";
    /// <summary>For <c>explicit</c>: the variant (0 = original, k = paraphrase k) at each encounter.</summary>
    public IReadOnlyList<int> Variants { get; init; } = [];
    /// <summary>Probed like the others, never injected: the noise floor.</summary>
    public bool Control { get; init; }
}

public sealed record ProbeSpec
{
    public IReadOnlyList<string> Depths { get; init; } = DepthNames.All;
    public EvaluationSpec Evaluate { get; init; } = new();
}

public sealed record EvaluationSpec
{
    /// <summary>Evaluate every N steps (1 = every step). Ignored when Dense is set.</summary>
    public int Every { get; init; } = 1;
    /// <summary>Evaluate every step for this many steps after each injection, then log-spaced; 0 = off.</summary>
    public int DenseAfterInjection { get; init; } = 0;
    /// <summary>Log-spaced points per decade after the dense window.</summary>
    public int PointsPerDecade { get; init; } = 20;
}

public sealed record AnalysisSpec
{
    public int LamWindow { get; init; } = 50;
    public double IqrMultiplier { get; init; } = 1.5;
    /// <summary>Retainability fit range t = FitFrom..FitTo (steps after t_LAM of the last encounter); 0 = to the end.</summary>
    public int FitFrom { get; init; } = 1;
    public int FitTo { get; init; } = 0;
    /// <summary>
    /// 0: fit R̄ at every evaluated t (the paper). n: average R̄ in bins of 1/n decade first, so each stretch of log t
    /// weighs the same whether it was evaluated every step or log-spaced.
    /// </summary>
    public int FitBinsPerDecade { get; init; } = 0;
}

/// <summary>One finding to assert, e.g. <c>effectivity_positive</c> with its parameters.</summary>
public sealed record Expectation(string Kind, IReadOnlyDictionary<string, string> Parameters, int Line = 0)
{
    /// <summary>Where the kind and each parameter's value were written, for errors that need the scenario as a whole.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, Yaml.SourceMark> Marks { get; init; } = new Dictionary<string, Yaml.SourceMark>();
}

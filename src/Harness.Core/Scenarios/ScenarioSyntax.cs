using Harness.Cluster;
using Harness.Data;
using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>
/// Every key of scenario DSL v1, in one tree. The reader rejects keys outside it, <c>schemas/scenario.schema.json</c> is
/// generated from it, and a test sets every leaf to its <see cref="SyntaxKey.Sample"/> to prove the reader consumes it.
/// </summary>
public static class ScenarioSyntax
{
    /// <summary>Keys handled before typed reading (inheritance and sweeps); a matrix cannot override them.</summary>
    public static readonly IReadOnlyList<string> CompositionKeys = ["name", "extends", "matrix"];

    /// <summary>The section every cell shares: harness submit puts all cells into one job array with one set of resources.</summary>
    public const string ClusterKey = "cluster";

    static SyntaxKey Map(string name, string doc, params SyntaxKey[] children) => new(name, SyntaxType.Mapping, doc) { Children = children };
    static SyntaxKey Int(string name, int min, string sample, string doc) => new(name, SyntaxType.Int, doc) { Minimum = min, Sample = sample };
    static SyntaxKey Num(string name, double min, bool exclusive, string sample, string doc) =>
        new(name, SyntaxType.Number, doc) { Minimum = min, ExclusiveMinimum = exclusive, Sample = sample };
    static SyntaxKey Enum(string name, string[] values, string sample, string doc) => new(name, SyntaxType.Enum, doc) { Values = values, Sample = sample };
    static SyntaxKey Path(string name, IReadOnlyList<string> builtins, string sample, string doc) =>
        new(name, SyntaxType.Path, doc) { Values = builtins, Sample = sample };

    static SyntaxKey Optimizer() => Map("optimizer", "AdamW settings.",
        Enum("name", ["adamw"], "", "Optimizer."),
        Num("lr", 0, true, "2.5e-4", "Peak learning rate."),
        new SyntaxKey("betas", SyntaxType.Pair, "[beta1, beta2] of Adam.") { Minimum = 0, Sample = "[0.8, 0.99]" },
        Num("eps", 0, true, "1.0e-6", "Adam epsilon."),
        Num("weight_decay", 0, false, "0.01", "Decoupled weight decay."),
        Num("grad_clip", 0, false, "0.5", "Global gradient-norm clip; 0 disables."),
        Enum("state", ["fresh", "resume"], "resume", "fresh optimizer state, or resume the checkpoint's (needs a checkpoint)."));

    static SyntaxKey Schedule() => Map("schedule", "Learning-rate schedule.",
        Enum("name", ["constant", "linear", "cosine", "resume", "resume-constant"], "cosine",
            "constant | linear | cosine (with warmup) | resume (continue the checkpoint's schedule at its step) | resume-constant (hold the rate the checkpoint's schedule has at its step)."),
        Int("warmup_steps", 0, "10", "Linear warmup from 0 to lr."),
        Int("decay_steps", 0, "50", "Length of the linear/cosine decay; 0: the phase's own steps."),
        Num("final_lr_fraction", 0, false, "0.5", "Final rate as a fraction of lr (linear/cosine)."),
        new SyntaxKey("rate_of", SyntaxType.PathList,
            "With resume-constant: hold the mean of the rates that these OLMo training checkpoints' own schedules give their first update after the checkpoint, instead of the run's own checkpoint's (a path or a list of paths)."));

    public static readonly SyntaxKey Root = Map("", "A knowledge-injection experiment.",
        new SyntaxKey("name", SyntaxType.String, "Scenario name; not inherited; default: the file name without extension.") { Sample = "other" },
        new SyntaxKey("extends", SyntaxType.Path, "A scenario file (relative to this one) whose keys this one inherits and overrides."),
        Int("seed", 0, "7", "Seed of every random choice of the run."),
        Map("runtime", "Where and how the run executes.",
            Enum("device", ["cpu", "cuda", "auto"], "cuda", "Torch device."),
            Int("threads", 1, "4", "Torch intra-op threads (part of determinism: results may differ between counts)."),
            Int("checkpoint_every", 0, "50", "Save a resumable checkpoint every N updates; 0: only at the end."),
            Enum("precision", ["auto", "fp32", "bf16"], "bf16",
                "Dtype of the matmuls (projections, LM head, attention); weights, optimizer state, norms, softmax and loss stay fp32. auto: bf16 on CUDA, fp32 on CPU.")),
        Map("model", "The model to train.",
            Path("checkpoint", BuiltinNames.Checkpoints, BuiltinNames.TinyPrefix + "mid",
                $"{string.Join(", ", BuiltinNames.Checkpoints)}, or a Hugging Face-style folder (config.json + *.safetensors)."),
            Int("replica", 1, "2",
                "Which independent pretraining of a builtin:tiny/<recipe>/<stage> checkpoint: 1, its recipe; 2, the same recipe at another seed (builtin:tiny/<recipe>-2/<stage>). A seed axis that sets it makes the pretraining seed a unit of replication."),
            Map("architecture", "Shape of a `scratch` model (a checkpoint brings its own config.json).",
                Enum("family", ["olmo", "llama"], "llama", "olmo (non-parametric LayerNorm) | llama (RMSNorm)."),
                Int("d_model", 1, "64", "Hidden width."),
                Int("layers", 1, "2", "Decoder layers."),
                Int("heads", 1, "2", "Attention heads; must divide d_model."),
                Int("mlp_hidden", 0, "256", "SwiGLU hidden width; 0: 8/3·d_model rounded up to a multiple of 64."),
                new SyntaxKey("tie_embeddings", SyntaxType.Bool, "Share input and output embeddings.") { Sample = "false" },
                Num("rope_theta", 0, true, "500000", "RoPE base."))),
        Path("tokenizer", BuiltinNames.Tokenizers, BuiltinNames.Gpt2, $"{string.Join(", ", BuiltinNames.Tokenizers)}, or a Hugging Face tokenizer.json."),
        Map("data", "Background pretraining data.",
            Path("corpus", BuiltinNames.Corpora, "", $"{string.Join(", ", BuiltinNames.Corpora)}, or a .npy/.bin token array (headerless: tokens.bin?dtype=uint16 or uint32), .jsonl or .txt file."),
            Int("sequence_length", 1, "64", "Tokens per row."),
            Int("batch_size", 1, "8", "Rows per update.")),
        Map("knowledge", "The fictional knowledge to inject.",
            Path("source", BuiltinNames.KnowledgeSources, "", $"{string.Join(", ", BuiltinNames.KnowledgeSources)}, or the paper's fictional_knowledge*.json."),
            Int("items", 1, "40", "Items the built-in generator makes (9 paraphrases each); ignored for files."),
            Enum("on_degraded", ["error", "warn"], "warn",
                "error | warn: when the tokenizer would degrade the knowledge (a passage cut that removes a probed target, an unknown token, an empty target, a tokenizer without all 256 byte tokens), validate and run stop, or warn and go on.")),
        Map("pretrain", "Background-only training before log step 0; not logged. Omit for none.",
            Int("steps", 1, "20", "Updates.") with { Required = true },
            new SyntaxKey("save_at", SyntaxType.StepMap, "Named checkpoints to keep, stage: update (e.g. { early: 1500, late: 3000 }); harness pretrain recipe.yaml --out DIR saves each in its own folder, DIR/stage (stage names: letters, digits, - and _; not checkpoint).") { Sample = "{ early: 10 }" },
            Num("stop_at_loss", 0, false, "1.1", "End at the first check where held-out background loss (builtin:synthetic-world) is at or below this; later stages are saved there. 0: off. Pretraining recipes only (harness pretrain; matched-loss model sizes)."),
            Int("check_every", 1, "25", "Updates between held-out loss checks for stop_at_loss."),
            Optimizer(), Schedule()),
        Map("training", "The logged phase: log steps 0..steps.",
            Int("steps", 1, "150", "Updates; injections must land on steps 0..steps-1."),
            Optimizer(), Schedule(),
            Int("grad_accumulation", 1, "2", "Micro-batches per update; must divide batch_size.")),
        Map("injection", "Which knowledge enters which batch row when.",
            Enum("placement", ["prepend", "prepend-and-truncate", "replace"], "replace",
                "prepend (= prepend-and-truncate: knowledge + end-of-text + the original row, cut to sequence_length, as the paper) | replace (knowledge + end-of-text overwrite the row's first tokens; the rest of the row keeps its background)."),
            new SyntaxKey("groups", SyntaxType.GroupList, "Groups of items sharing a schedule.")
            {
                Sample = "[{ name: g, items: 0..1, at: [0] }]",
                Children =
                [
                    new SyntaxKey("name", SyntaxType.String, "Group name (unique).") { Required = true },
                    new SyntaxKey("items", SyntaxType.Items, "Item indices: 0..39 (inclusive), [0, 3, 7] or [0..9, 20].") { Required = true },
                    new SyntaxKey("at", SyntaxType.At, "Encounter steps of the first item: [0, 100] or { every: 100, count: 10, start: 0 }.")
                    {
                        Children =
                        [
                            Int("every", 1, "", "Steps between encounters.") with { Required = true },
                            Int("count", 1, "", "Encounters.") with { Required = true },
                            Int("start", 0, "", "First encounter."),
                        ],
                    },
                    Enum("text", ["original", "paraphrase", "explicit"], "", "original every time | paraphrase (original first, then paraphrase 1, 2, ...) | explicit (variants)."),
                    new SyntaxKey("variants", SyntaxType.IntList, "For text: explicit, the variant at each encounter (0 = original, k = paraphrase k).") { Minimum = 0 },
                    new SyntaxKey("control", SyntaxType.Bool, "Probed, never injected (no `at`): the noise floor."),
                ],
            },
            Int("stagger", 0, "1", "Item j of a group meets each encounter j·stagger steps later."),
            Int("max_rows_per_step", 0, "4", "Most knowledge rows in one update; 0: the batch size. Overflow spills to the next steps.")),
        Map("probes", "What is scored and when.",
            new SyntaxKey("depths", SyntaxType.EnumList, "Probe depths to score.") { Values = DepthNames.All, Sample = "[memorization]" },
            Map("evaluate", "Evaluation steps (0 and the last step are always included).",
                Int("every", 1, "5", "Every N steps; ignored when dense_after_injection > 0."),
                Int("dense_after_injection", 0, "10", "Every step from each injection through N steps after it, then log-spaced."),
                Int("points_per_decade", 1, "5", "Log-spaced points per decade after the last injection."))),
        Map("analysis", "Metric settings.",
            Int("lam_window", 1, "30", "t_w of the local acquisition maximum."),
            Num("iqr_multiplier", 0, false, "2.0", "Outliers lie outside [Q1 - m·IQR, Q3 + m·IQR]."),
            Int("fit_from", 1, "2", "First t of the retainability fit."),
            Int("fit_to", 0, "40", "Last t of the fit; 0: to the end."),
            Int("fit_bins_per_decade", 0, "10", "0: fit R̄ at every evaluated t (the paper); n: first average R̄ in bins of 1/n decade of t, so dense and log-spaced evaluation weigh each stretch of log t alike.")),
        Map(ClusterKey, "Resources of each array task when harness submit runs the cells on a cluster (Slurm); one job array holds every cell, so a matrix cannot change them.",
            new SyntaxKey("partition", SyntaxType.String, "Slurm partition; default: the cluster's default partition.") { Sample = "gpu" },
            new SyntaxKey("account", SyntaxType.String, "Account the jobs are charged to; default: the user's default account.") { Sample = "proj42" },
            Int("gpus", 0, "1", "GPUs per cell; default: 1 when runtime.device is cuda, else 0."),
            Int("cpus", 1, "4", "CPUs per cell; default: runtime.threads (the largest of the cells)."),
            new SyntaxKey("memory", SyntaxType.String, $"Memory per cell as sbatch --mem takes it: {MemorySize.Forms}; 0: all of a node's; default: the partition's.") { Sample = "16G" },
            new SyntaxKey("time_limit", SyntaxType.String, $"Time limit per cell as sbatch --time takes it: {TimeLimit.Forms}; default: the partition's.") { Sample = "1-00:00:00" },
            Int("checkpoint_grace", 1, "600", "Seconds before the time limit at which a cell saves a checkpoint, stops and requeues itself to resume."),
            Int("max_running", 0, "4", "Most cells running at once (the array's %N); 0: no limit of its own."),
            new SyntaxKey("sbatch", SyntaxType.StringList, "Further #SBATCH options, one per entry: [--qos=high, --constraint=a100].") { Sample = "[--qos=high]" }),
        new SyntaxKey("matrix", SyntaxType.Matrix, "A sweep: one scenario per combination of the axes' labels."),
        new SyntaxKey("expect", SyntaxType.Expect, "Findings to assert.") { Values = FindingKinds.Known, Sample = "[effectivity_positive]" });

    /// <summary>Key paths a matrix cell may set: all but the composition keys and the shared cluster section.</summary>
    public static IEnumerable<string> OverridablePaths() =>
        Root.Paths().Select(p => p.Path).Where(p => !CompositionKeys.Contains(p) && !IsCluster(p));

    public static bool IsCluster(string path) => path == ClusterKey || path.StartsWith(ClusterKey + ".", StringComparison.Ordinal);
}

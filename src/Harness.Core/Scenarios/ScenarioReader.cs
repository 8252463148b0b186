using Harness.Cluster;
using Harness.Data;
using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>Typed reading of one composed scenario tree into <see cref="Scenario"/>; positions of what it read go to <see cref="Marks"/>.</summary>
public sealed class ScenarioReader(PathSetting paths)
{
    public Dictionary<string, SourceMark> Marks { get; } = [];
    /// <summary>False when the knowledge source is deferred until run (its shape is unknown).</summary>
    public bool KnowledgeChecked { get; private set; } = true;
    /// <summary>False when the tokenizer is deferred until run (a path naming an unset variable).</summary>
    public bool TokenizerChecked { get; private set; } = true;

    public Scenario Read(ComposedScenario composed, string sourcePath)
    {
        var root = new Section(composed.Tree, ScenarioSyntax.Root, "", composed.Tree.Mark, Marks);
        var d = new Scenario { Name = composed.Name };
        root.Text("name", "");
        return d with
        {
            SourcePath = Path.GetFullPath(sourcePath),
            Seed = root.Int("seed", d.Seed),
            Runtime = Runtime(root.Sub("runtime")),
            Model = Model(root.Sub("model")),
            Tokenizer = Tokenizer(root, d.Tokenizer),
            Data = Data(root.Sub("data")),
            Knowledge = Knowledge(root.Sub("knowledge")),
            Pretrain = root.Node("pretrain") is null ? null : Pretrain(root.Sub("pretrain")),
            Training = Training(root.Sub("training")),
            Injection = Injection(root.Sub("injection")),
            Probes = Probes(root.Sub("probes")),
            Analysis = Analysis(root.Sub("analysis")),
            Cluster = Cluster(root.Sub(ScenarioSyntax.ClusterKey)),
            Cell = composed.Cell,
            Expect = root.Node("expect") is { } e ? Expectations.Read(e) : [],
        };
    }

    string Tokenizer(Section root, string fallback)
    {
        if (root.Node("tokenizer") is not { } n) return fallback;
        (var value, TokenizerChecked) = paths.Resolve(n, "tokenizer", BuiltinNames.Tokenizers);
        return value;
    }

    string PathOf(Section s, string key, string fallback, IReadOnlyList<string> builtins) =>
        s.Node(key) is { } n ? paths.Resolve(n, s.Path.Length == 0 ? key : $"{s.Path}.{key}", builtins).Value : fallback;

    static RuntimeSpec Runtime(Section s)
    {
        var d = new RuntimeSpec();
        return new RuntimeSpec
        {
            Device = s.Word("device", d.Device), Threads = s.Int("threads", d.Threads),
            CheckpointEvery = s.Int("checkpoint_every", d.CheckpointEvery), Precision = s.Word("precision", d.Precision),
        };
    }

    ModelSpec Model(Section s)
    {
        var a = s.Sub("architecture");
        var d = new ArchitectureSpec();
        return new ModelSpec
        {
            Checkpoint = Replica(s, PathOf(s, "checkpoint", new ModelSpec().Checkpoint, BuiltinNames.Checkpoints)),
            Architecture = new ArchitectureSpec
            {
                Family = a.Word("family", d.Family), DModel = a.Int("d_model", d.DModel), Layers = a.Int("layers", d.Layers),
                Heads = a.Int("heads", d.Heads), MlpHidden = a.Int("mlp_hidden", d.MlpHidden),
                TieEmbeddings = a.Bool("tie_embeddings", d.TieEmbeddings), RopeTheta = a.Number("rope_theta", d.RopeTheta),
            },
        };
    }

    /// <summary>
    /// <c>model.replica</c> N &gt; 1 names the N-th independent pretraining of a <c>builtin:tiny/&lt;recipe&gt;/&lt;stage&gt;</c>
    /// checkpoint, <c>builtin:tiny/&lt;recipe&gt;-N/&lt;stage&gt;</c>: the checkpoint's name is all that runs downstream see.
    /// </summary>
    static string Replica(Section s, string checkpoint)
    {
        int replica = s.Int("replica", 1);
        if (replica == 1) return checkpoint;
        string Named(string c) => c.StartsWith(BuiltinNames.TinyPrefix, StringComparison.Ordinal) && c[BuiltinNames.TinyPrefix.Length..].Split('/') is [var recipe, var stage]
            ? $"{BuiltinNames.TinyPrefix}{recipe}-{replica}/{stage}" : "";
        var named = Named(checkpoint);
        if (BuiltinNames.TinyCheckpoints.Contains(named)) return named;
        // The checkpoints whose replica exists, for the fix.
        var replicated = BuiltinNames.TinyCheckpoints.Where(c => BuiltinNames.TinyCheckpoints.Contains(Named(c))).ToList();
        throw new ScenarioException(s.MarkOf("replica"),
            $"{s.Path}.replica {replica} of {checkpoint}: no built-in recipe makes {(named.Length > 0 ? named : $"a replica {replica} of it")}",
            replicated.Count > 0
                ? $"replica {replica} exists for {string.Join(", ", replicated)}; use one of those checkpoints, or remove replica"
                : checkpoint.StartsWith(BuiltinNames.TinyPrefix, StringComparison.Ordinal) ? $"no built-in checkpoint has a replica {replica}; remove replica"
                : "remove replica (a checkpoint outside builtin:tiny is its own pretraining)");
    }

    DataSpec Data(Section s)
    {
        var d = new DataSpec();
        return new DataSpec
        {
            Corpus = s.Node("corpus") is { } corpus ? paths.Resolve(corpus, "data.corpus", BuiltinNames.Corpora, CorpusQuery).Value : d.Corpus,
            SequenceLength = s.Int("sequence_length", d.SequenceLength), BatchSize = s.Int("batch_size", d.BatchSize),
        };
    }

    KnowledgeSpec Knowledge(Section s)
    {
        var d = new KnowledgeSpec();
        var source = d.Source;
        if (s.Node("source") is { } n)
        {
            (source, var ok) = paths.Resolve(n, "knowledge.source", BuiltinNames.KnowledgeSources);
            KnowledgeChecked = ok;
        }
        return new KnowledgeSpec { Source = source, Items = s.Int("items", d.Items), OnDegraded = s.Word("on_degraded", d.OnDegraded) };
    }

    /// <summary><c>tokens.bin?dtype=uint16</c>: the path, and the query checked as <see cref="CorpusSource"/> reads it.</summary>
    static (string Path, string Query) CorpusQuery(string spec)
    {
        var (path, _) = CorpusSource.ParseSpec(spec);
        return (path, spec[path.Length..]);
    }

    PretrainSpec Pretrain(Section s) => new()
    {
        Steps = s.Node("steps") is null
            ? throw new ScenarioException(s.Mark, "pretrain has no steps", "set pretrain.steps, or remove the pretrain section")
            : s.Int("steps", 1), SaveAt = s.StepMap("save_at"),
        StopAtLoss = s.Number("stop_at_loss", 0), CheckEvery = s.Int("check_every", 50), Optimizer = Optimizer(s.Sub("optimizer")), Schedule = Schedule(s.Sub("schedule")),
    };

    TrainingSpec Training(Section s)
    {
        var d = new TrainingSpec();
        return new TrainingSpec
        {
            Steps = s.Int("steps", d.Steps), Optimizer = Optimizer(s.Sub("optimizer")), Schedule = Schedule(s.Sub("schedule")),
            GradAccumulation = s.Int("grad_accumulation", d.GradAccumulation),
        };
    }

    static OptimizerSpec Optimizer(Section s)
    {
        var d = new OptimizerSpec();
        var (b1, b2) = (d.Beta1, d.Beta2);
        if (s.Node("betas") is { } betas)
        {
            var items = Scalars.List(betas, $"{s.Path}.betas");
            if (items.Count != 2)
                throw new ScenarioException(betas.Mark, $"{s.Path}.betas should hold two numbers, got {items.Count}", "write betas: [0.9, 0.95]");
            (b1, b2) = (Beta(items[0]), Beta(items[1]));
        }
        return new OptimizerSpec
        {
            Name = s.Word("name", d.Name), Lr = s.Number("lr", d.Lr), Beta1 = b1, Beta2 = b2, Eps = s.Number("eps", d.Eps),
            WeightDecay = s.Number("weight_decay", d.WeightDecay), GradClip = s.Number("grad_clip", d.GradClip), State = s.Word("state", d.State),
        };

        double Beta(YNode n)
        {
            var v = Scalars.Number(n, $"{s.Path}.betas");
            return v is >= 0 and < 1 ? v : throw new ScenarioException(n.Mark, $"a beta must lie in [0, 1), got {v}", "use values such as 0.9 and 0.95");
        }
    }

    ScheduleSpec Schedule(Section s)
    {
        var d = new ScheduleSpec();
        var name = s.Word("name", d.Name);
        var rateOf = new List<string>();
        if (s.Node("rate_of") is { } r && r is not YScalar { IsNull: true })
        {
            if (name != "resume-constant")
                throw new ScenarioException(r.Mark, $"{s.Path}.rate_of gives the rate to hold, which only the schedule resume-constant holds (this one is {name})",
                    $"set {s.Path}.name: resume-constant, or remove rate_of");
            var items = r is YSequence seq ? seq.Items : [r];
            if (items.Count == 0) throw new ScenarioException(r.Mark, $"{s.Path}.rate_of lists no checkpoint", "name one or more OLMo training checkpoints, or remove rate_of");
            rateOf.AddRange(items.Select(n => paths.Resolve(n, $"{s.Path}.rate_of", []).Value));
        }
        return new ScheduleSpec
        {
            Name = name, RateOf = rateOf.Count == 0 ? null : rateOf, WarmupSteps = s.Int("warmup_steps", d.WarmupSteps),
            DecaySteps = s.Int("decay_steps", d.DecaySteps), FinalLrFraction = s.Number("final_lr_fraction", d.FinalLrFraction),
        };
    }

    InjectionSpec Injection(Section s)
    {
        var d = new InjectionSpec();
        var groups = new List<InjectionGroup>();
        if (s.Node("groups") is { } g)
        {
            var syntax = ScenarioSyntax.Root.At("injection.groups")!;
            var items = Scalars.List(g, "injection.groups");
            for (var i = 0; i < items.Count; i++)
                groups.Add(GroupSyntax.Read(new Section(items[i], syntax, $"injection.groups[{i}]", items[i].Mark, Marks), items[i]));
        }
        return new InjectionSpec
        {
            Placement = s.Word("placement", d.Placement).Replace("prepend-and-truncate", "prepend"), Groups = groups, Stagger = s.Int("stagger", d.Stagger),
            MaxRowsPerStep = s.Int("max_rows_per_step", d.MaxRowsPerStep),
        };
    }

    static ProbeSpec Probes(Section s)
    {
        var d = new ProbeSpec();
        var e = s.Sub("evaluate");
        var de = new EvaluationSpec();
        var depths = d.Depths;
        if (s.Node("depths") is { } n)
        {
            var list = Scalars.List(n, "probes.depths");
            var seen = new HashSet<string>();
            depths = list.Select(x =>
            {
                var w = Scalars.Word(x, "probes.depths entry", DepthNames.All);
                return seen.Add(w) ? w : throw new ScenarioException(x.Mark, $"depth '{w}' listed twice", "list each depth once");
            }).ToList();
            if (depths.Count == 0) throw new ScenarioException(n.Mark, "probes.depths is empty", "list at least one depth, e.g. [memorization]");
        }
        return new ProbeSpec
        {
            Depths = depths,
            Evaluate = new EvaluationSpec
            {
                Every = e.Int("every", de.Every), DenseAfterInjection = e.Int("dense_after_injection", de.DenseAfterInjection),
                PointsPerDecade = e.Int("points_per_decade", de.PointsPerDecade),
            },
        };
    }

    /// <summary>
    /// The cluster section. Each value lands in an <c>#SBATCH</c> line, so words are single words, and the memory and
    /// time limit are checked against the forms sbatch takes: a typo fails here, not in a job queued for a day.
    /// </summary>
    static ClusterSpec Cluster(Section s)
    {
        var d = new ClusterSpec();
        string? Word(string key, string example)
        {
            if (s.Node(key) is not { } n) return null;
            var value = Scalars.Text(n, $"{s.Path}.{key}");
            return SbatchOptions.ValueProblem(value) is { } problem
                ? throw new ScenarioException(n.Mark, $"{s.Path}.{key} {problem}", $"write one word, such as {example}")
                : value;
        }
        var memory = s.Node("memory") is { } m ? Scalars.Text(m, $"{s.Path}.memory") : null;
        if (memory is not null && MemorySize.Problem(memory) is { } badMemory)
            throw new ScenarioException(s.MarkOf("memory"), $"{s.Path}.memory {badMemory}", $"write {MemorySize.Forms}");
        var time = s.Node("time_limit") is { } t ? Scalars.Text(t, $"{s.Path}.time_limit") : null;
        if (time is not null && TimeLimit.Parse(time, out var badTime) is null)
            throw new ScenarioException(s.MarkOf("time_limit"), $"{s.Path}.time_limit {badTime}", $"write {TimeLimit.Forms}");
        var grace = s.Int("checkpoint_grace", d.CheckpointGrace);
        if (grace > ClusterSpec.MaxGrace)
            throw new ScenarioException(s.MarkOf("checkpoint_grace"), $"{s.Path}.checkpoint_grace {grace} is more than Slurm's {ClusterSpec.MaxGrace} s",
                $"use at most {ClusterSpec.MaxGrace}");
        var extra = new List<string>();
        if (s.Node("sbatch") is { } list)
            foreach (var item in Scalars.List(list, $"{s.Path}.sbatch"))
            {
                var option = Scalars.Text(item, $"{s.Path}.sbatch entry");
                if (SbatchOptions.ExtraProblem(option) is { } problem)
                    throw new ScenarioException(item.Mark, $"{s.Path}.sbatch: {problem}", "list other sbatch options, such as --qos=high or --constraint=a100");
                extra.Add(option);
            }
        return new ClusterSpec
        {
            Partition = Word("partition", "gpu"), Account = Word("account", "proj42"),
            Gpus = s.Node("gpus") is null ? null : s.Int("gpus", 0), Cpus = s.Node("cpus") is null ? null : s.Int("cpus", 1),
            Memory = memory, TimeLimit = time, CheckpointGrace = grace, MaxRunning = s.Int("max_running", d.MaxRunning), Sbatch = extra,
        };
    }

    static AnalysisSpec Analysis(Section s)
    {
        var d = new AnalysisSpec();
        return new AnalysisSpec
        {
            LamWindow = s.Int("lam_window", d.LamWindow), IqrMultiplier = s.Number("iqr_multiplier", d.IqrMultiplier),
            FitFrom = s.Int("fit_from", d.FitFrom), FitTo = s.Int("fit_to", d.FitTo),
            FitBinsPerDecade = s.Int("fit_bins_per_decade", d.FitBinsPerDecade),
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>
/// <c>manifest.json</c> of a run directory (format harness-run/1). Analysis reads only this and the trajectory, so a
/// run written on a GPU cluster is analysed anywhere. Field names are a contract with outside tools: they stay.
/// </summary>
public sealed record RunManifest
{
    public const string CurrentFormat = "harness-run/1";

    public string Format { get; init; } = CurrentFormat;
    public required string Scenario { get; init; }
    public int BatchSize { get; init; }
    public int SequenceLength { get; init; }
    public long TokensPerStep { get; init; }
    public int Steps { get; init; }
    public required ManifestAnalysis Analysis { get; init; }
    public required IReadOnlyList<ManifestInjection> Injections { get; init; }
    /// <summary>Every probed item with its group; control items appear here and never in <see cref="Injections"/>.</summary>
    public IReadOnlyList<ManifestItem> Items { get; init; } = [];
    public IReadOnlyList<string> Depths { get; init; } = [];
    /// <summary>complete | running | stopped: a reader can tell a finished run from one that was stopped.</summary>
    public string Status { get; init; } = "complete";
    public string? StatusMessage { get; init; }
    public int Seed { get; init; }
    public int Threads { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>Dtype the model's matmuls ran in: fp32 | bf16 (<c>runtime.precision</c> resolved); a manifest without it reads as fp32.</summary>
    public string Precision { get; init; } = "fp32";
    public string HarnessVersion { get; init; } = "";
    public string GitCommit { get; init; } = "";
    public string TorchSharpVersion { get; init; } = "";
    public string LibTorchVersion { get; init; } = "";
    public double WallSeconds { get; init; }
    /// <summary>Where this process's <see cref="WallSeconds"/> went; null when the manifest does not record it.</summary>
    public ManifestTime? Time { get; init; }
    /// <summary>Matrix cell (axis → label) this run is.</summary>
    public IReadOnlyDictionary<string, string> Cell { get; init; } = new Dictionary<string, string>();
    /// <summary>The fully resolved scenario, enough to rerun the experiment exactly.</summary>
    public JsonNode? ResolvedScenario { get; init; }
    /// <summary><see cref="RunIdentity.Hash(JsonNode)"/> of <see cref="ResolvedScenario"/>: resume and check refuse a run of another experiment.</summary>
    public string? ScenarioHash { get; init; }
    /// <summary>The inputs the run read, with their fingerprints: resume refuses changed inputs.</summary>
    public IReadOnlyList<ManifestInput>? Inputs { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

public sealed record ManifestAnalysis
{
    public int LamWindow { get; init; } = 50;
    public double IqrMultiplier { get; init; } = 1.5;
    public int FitFrom { get; init; } = 1;
    /// <summary>0: to the last logged step.</summary>
    public int FitTo { get; init; }
    /// <summary>0: fit every evaluated t; n: bins of 1/n decade.</summary>
    public int FitBinsPerDecade { get; init; }
}

/// <summary><c>step</c>: the update that turns θ_step into θ_step+1 sees the knowledge; ℓ at log step <c>step</c> is the value before it.</summary>
public sealed record ManifestInjection(int Step, string Item, string Group, int Variant);

public sealed record ManifestItem(string Item, string Group, bool Control);

/// <summary>
/// Wall seconds spent in training updates (pretraining included), probe scoring, and IO (checkpoints, trajectory,
/// training log and manifest writes); <see cref="OtherS"/> is the rest (setup, model loading, progress display).
/// The four add up to the manifest's wall_seconds.
/// </summary>
public sealed record ManifestTime(double TrainS, double ScoringS, double IoS, double OtherS);

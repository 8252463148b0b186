using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Runs;

namespace Harness.Training;

/// <summary>
/// The folder a pretraining recipe builds into (<c>harness pretrain recipe.yaml --out DIR</c>, or a built-in recipe's
/// cache folder): one checkpoint folder per <c>pretrain.save_at</c> stage (<c>DIR/&lt;stage&gt;/</c>), <c>training.csv</c>,
/// <c>recipe.json</c> (the resolved recipe, its identity and how far the build got) and, while the build is unfinished,
/// its resume state in <c>checkpoint/</c>.
/// </summary>
public sealed record RecipeFolder(string Root) : IClaimedFolder
{
    public const string RecordFileName = "recipe.json";

    public string Noun => "pretraining build";
    public string RecordFile => Path.Combine(Root, RecordFileName);
    public string Checkpoint => Path.Combine(Root, RunPaths.CheckpointDir);
    public string TrainingLog => Path.Combine(Root, RunPaths.TrainingLogFile);
    public string Stage(string name) => Path.Combine(Root, name);

    /// <summary>The record, the log, the resume state, every stage folder (one holding harness.json) and the temporaries.</summary>
    public IEnumerable<string> Written() => Entries(name => name is RecordFileName or RunPaths.TrainingLogFile || name == RunPaths.CheckpointDir
        || RunPaths.IsTemporary(name) || File.Exists(Path.Combine(Root, name, CheckpointMetadata.FileName)));

    /// <summary>A stage or resume state half saved under its temporary name (<c>.&lt;stage&gt;.&lt;pid&gt;.tmp</c>, <c>checkpoint.*</c>), as runs name theirs.</summary>
    public IEnumerable<string> Temporaries() => Entries(RunPaths.IsTemporary);

    private IEnumerable<string> Entries(Func<string, bool> mine) =>
        Directory.Exists(Root) ? Directory.EnumerateFileSystemEntries(Root).Where(e => mine(Path.GetFileName(e))).ToList() : [];

    public ClaimRecord? ReadRecord() => RecipeRecord.Read(RecordFile) is { } r
        ? new ClaimRecord(r.Recipe, r.Status, r.ResolvedScenario, r.ScenarioHash, r.Inputs)
        : null;
}

/// <summary><c>recipe.json</c> of a pretraining build: the resolved recipe and its identity, the stages, and how far it got.</summary>
public sealed record RecipeRecord
{
    public const string CurrentFormat = "harness-recipe/1";

    public string Format { get; init; } = CurrentFormat;
    public required string Recipe { get; init; }
    /// <summary>running | stopped | complete.</summary>
    public required string Status { get; init; }
    public string? StatusMessage { get; init; }
    /// <summary>Pretraining updates the build's saved state holds: its resume checkpoint's, or all it made when complete.</summary>
    public int Step { get; init; }
    /// <summary>The stages (<c>pretrain.save_at</c>): stage → update.</summary>
    public required IReadOnlyDictionary<string, int> Stages { get; init; }
    /// <summary>Wall seconds of the build so far, every process that worked on it together.</summary>
    public double WallSeconds { get; init; }
    public JsonNode? ResolvedScenario { get; init; }
    public string? ScenarioHash { get; init; }
    public IReadOnlyList<ManifestInput>? Inputs { get; init; }

    public static RecipeRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RecipeRecord>(File.ReadAllText(path), RunManifest.Json)
                   ?? throw new InputException($"{path}: empty {RecipeFolder.RecordFileName}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: unreadable record of a pretraining build ({e.Message}); --force starts the build over");
        }
    }

    public void Write(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, RunManifest.Json));
}

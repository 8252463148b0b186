using System.Text.Json;
using Harness.Data.Corpora;
using Harness.Runs;

namespace Harness.Training;

/// <summary>
/// <c>harness.json</c> beside a checkpoint the harness pretrained: where its data stream stopped, its learning-rate
/// schedule and position (so a continued run resumes both, as the paper's runs do), and what it knows of the background.
/// </summary>
public sealed record CheckpointMetadata
{
    public const string FileName = "harness.json", OptimizerFile = "optimizer.bin";

    public required string Stage { get; init; }
    public int Step { get; init; }
    public required string Corpus { get; init; }
    public StreamPosition Stream { get; init; }
    public required LearningRateSchedule Schedule { get; init; }
    public required BackgroundKnowledge Background { get; init; }
    public string Recipe { get; init; } = "";
    public double WallSeconds { get; init; }

    public static CheckpointMetadata? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CheckpointMetadata>(File.ReadAllText(path), RunManifest.Json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: unreadable checkpoint metadata ({e.Message})");
        }
    }

    public void Write(string folder) => AtomicFile.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, RunManifest.Json));
}

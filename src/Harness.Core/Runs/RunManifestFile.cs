using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Runs;

/// <summary>Reads and writes <c>manifest.json</c>.</summary>
public static class RunManifestFile
{
    public static void Write(string path, RunManifest manifest) =>
        AtomicFile.WriteText(path, JsonSerializer.Serialize(manifest, RunManifest.Json));

    /// <summary>The fields without which a run cannot be analysed correctly (without <c>items</c>, controls would silently vanish).</summary>
    private static readonly string[] Required =
        ["format", "scenario", "batch_size", "sequence_length", "tokens_per_step", "steps", "analysis", "injections", "items", "depths", "status"];

    public static RunManifest Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found (a run directory needs manifest.json)");
        try
        {
            var text = File.ReadAllText(path);
            if (JsonNode.Parse(text) is not JsonObject fields) throw new InputException($"{path}: a manifest is a JSON object");
            var format = fields["format"]?.GetValueKind() == JsonValueKind.String ? fields["format"]!.GetValue<string>() : null;
            if (format != RunManifest.CurrentFormat)
                throw new InputException($"{path}: unknown format {(format is null ? "(none)" : $"'{format}'")}; this harness reads {RunManifest.CurrentFormat} run directories");
            var missing = Required.Where(f => fields[f] is null).ToList();
            if (missing.Count > 0)
                throw new InputException($"{path}: missing field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}; a {RunManifest.CurrentFormat} manifest needs all of {string.Join(", ", Required)}");
            return JsonSerializer.Deserialize<RunManifest>(text, RunManifest.Json)
                   ?? throw new InputException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:{(e.LineNumber ?? 0) + 1}: {e.Message}");
        }
    }
}

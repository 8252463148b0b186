using System.Text.Json;

namespace Harness.Runs;

/// <summary>Reads and writes <c>manifest.json</c>.</summary>
public static class RunManifestFile
{
    public static void Write(string path, RunManifest manifest) =>
        AtomicFile.WriteText(path, JsonSerializer.Serialize(manifest, RunManifest.Json));

    public static RunManifest Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found (a run directory needs manifest.json)");
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), RunManifest.Json)
                   ?? throw new InputException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:{(e.LineNumber ?? 0) + 1}: {e.Message}");
        }
    }
}

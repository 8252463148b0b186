using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>Which safetensors files of a checkpoint folder hold the weights, and writing them (sharded or not).</summary>
internal static partial class ShardIndex
{
    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$")]
    private static partial Regex ShardName();

    /// <summary>The weight files of <paramref name="folder"/>, checked to exist (index first, as transformers does).</summary>
    public static IReadOnlyList<string> Locate(string folder)
    {
        var index = Path.Combine(folder, HfCheckpoint.IndexFile);
        if (File.Exists(index)) return FromIndex(index, folder);
        var single = Path.Combine(folder, HfCheckpoint.SingleFile);
        if (File.Exists(single)) return [single];
        var hint = File.Exists(Path.Combine(folder, "pytorch_model.bin")) || File.Exists(Path.Combine(folder, "pytorch_model.bin.index.json"))
            ? " It holds pytorch_model.bin, which is not read here: re-save with save_pretrained(folder, safe_serialization=True)."
            : "";
        throw new InputException($"Checkpoint folder '{folder}' has no {HfCheckpoint.SingleFile} or {HfCheckpoint.IndexFile}.{hint}");
    }

    private static List<string> FromIndex(string index, string folder)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(index), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (JsonException e) { throw new InputException($"'{index}' is not valid JSON (line {e.LineNumber + 1}): {e.Message}"); }
        if (root?["weight_map"] is not JsonObject map || map.Count == 0)
            throw new InputException($"'{index}' has no weight_map object naming each tensor's shard file.");
        var files = new List<string>();
        foreach (var (name, file) in map)
        {
            if (file is not JsonValue v || !v.TryGetValue(out string? f) || f.Contains('/') || f.Contains('\\'))
                throw new InputException($"'{index}': weight_map entry '{name}' must be a file name in the same folder.");
            var path = Path.Combine(folder, f);
            if (files.Contains(path)) continue;
            if (!File.Exists(path)) throw new InputException($"'{index}' maps '{name}' to '{f}', which is missing from '{folder}'.");
            files.Add(path);
        }
        // Each shard's header must agree with the weight map, so a stale or mixed-up index is caught.
        foreach (var path in files)
            foreach (var e in SafetensorsHeader.Read(path).Entries)
                if (map[e.Name]?.GetValue<string>() is string mapped && Path.Combine(folder, mapped) != path)
                    throw new InputException($"'{index}' maps '{e.Name}' to '{mapped}' but it is stored in '{Path.GetFileName(path)}'.");
        return files;
    }

    /// <summary>Writes the tensors; returns the file names written (weights and index).</summary>
    public static HashSet<string> Write(string folder, IReadOnlyDictionary<string, Tensor> tensors, long? maxShardBytes)
    {
        var groups = Plan(tensors, maxShardBytes);
        if (groups.Count == 1)
        {
            SafetensorsFile.Write(Path.Combine(folder, HfCheckpoint.SingleFile), groups[0]);
            return [HfCheckpoint.SingleFile];
        }
        var written = new HashSet<string>();
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long total = 0;
        for (int i = 0; i < groups.Count; i++)
        {
            var name = $"model-{i + 1:00000}-of-{groups.Count:00000}.safetensors";
            SafetensorsFile.Write(Path.Combine(folder, name), groups[i]);
            written.Add(name);
            foreach (var (tensor, t) in groups[i]) { map[tensor] = name; total += t.NumberOfElements * t.ElementSize; }
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = total },
            ["weight_map"] = new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        AtomicFile.WriteText(Path.Combine(folder, HfCheckpoint.IndexFile), index.ToJsonString(new() { WriteIndented = true }) + "\n");
        written.Add(HfCheckpoint.IndexFile);
        return written;
    }

    /// <summary>Greedy in state-dict order, as transformers shards: a tensor larger than the limit gets a shard of its own.</summary>
    private static List<Dictionary<string, Tensor>> Plan(IReadOnlyDictionary<string, Tensor> tensors, long? maxShardBytes)
    {
        var groups = new List<Dictionary<string, Tensor>> { new() };
        long size = 0;
        foreach (var (name, t) in tensors)
        {
            long bytes = t.NumberOfElements * t.ElementSize;
            if (maxShardBytes is long max && size > 0 && size + bytes > max) { groups.Add([]); size = 0; }
            groups[^1][name] = t;
            size += bytes;
        }
        return groups;
    }

    /// <summary>Deletes weight files from an earlier save that this save did not write, so loading never mixes them.</summary>
    public static void RemoveStale(string folder, HashSet<string> written)
    {
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            bool weights = name == HfCheckpoint.SingleFile || name == HfCheckpoint.IndexFile || ShardName().IsMatch(name);
            if (weights && !written.Contains(name)) File.Delete(path);
        }
    }
}

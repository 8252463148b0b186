using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>One tensor's header entry; offsets are relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// A validated safetensors header: 8-byte little-endian length, a JSON object of
/// <c>{name: {dtype, shape, data_offsets}}</c> plus optional <c>__metadata__</c>, then the raw little-endian data.
/// Validation follows the reference (Rust) implementation: entries tile the data section exactly, in order,
/// with no gap or overlap, and each spans shape × element size bytes.
/// </summary>
internal sealed record SafetensorsHeader(
    string Path, IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart)
{
    private const long MaxHeaderBytes = 100_000_000;

    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"Safetensors file '{path}' does not exist.");
        using var handle = File.OpenHandle(path);
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw Corrupt(path, $"it is {fileLength} bytes long, too short for the 8-byte header length (truncated?)");
        Span<byte> prefix = stackalloc byte[8];
        RandomAccess.Read(handle, prefix, 0);
        ulong headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Corrupt(path, $"its header claims {headerLength} bytes but only {fileLength - 8} bytes follow (truncated or not a safetensors file)");
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(path, $"its header claims {headerLength} bytes, over the format's {MaxHeaderBytes}-byte limit");
        var json = new byte[headerLength];
        RandomAccess.Read(handle, json, 8);
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = Parse(path, json);
        CheckLayout(path, entries, fileLength - dataStart);
        return new SafetensorsHeader(path, entries, metadata, dataStart);
    }

    private static (List<SafetensorsEntry>, Dictionary<string, string>) Parse(string path, byte[] json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Corrupt(path, $"its JSON header is invalid ({e.Message})"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "its JSON header is not an object");
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw Corrupt(path, $"tensor '{p.Name}' appears twice in the header");
            if (p.Name == "__metadata__") { ReadMetadata(path, p.Value, metadata); continue; }
            entries.Add(ReadEntry(path, p.Name, p.Value));
        }
        return (entries, metadata);
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Corrupt(path, "__metadata__ is not an object of strings");
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw Corrupt(path, $"__metadata__ value '{m.Name}' is not a string");
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"tensor '{name}' has no {{dtype, shape, data_offsets}} object");
        if (!e.TryGetProperty("dtype", out var d) || d.ValueKind != JsonValueKind.String)
            throw Corrupt(path, $"tensor '{name}' has no dtype");
        var dtype = d.GetString()!;
        if (!SafetensorsDType.TryParse(dtype, out _, out int size))
            throw Corrupt(path, $"tensor '{name}' has unknown or unsupported dtype '{dtype}' (supported: {SafetensorsDType.Supported})");
        var shape = Longs(path, name, e, "shape");
        var offsets = Longs(path, name, e, "data_offsets");
        if (offsets.Length != 2 || offsets[1] < offsets[0])
            throw Corrupt(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin ≤ end");
        var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        long bytes;
        try { bytes = checked(shape.Aggregate(1L, (a, b) => a * b) * size); }
        catch (OverflowException) { throw Corrupt(path, $"tensor '{name}' has an impossibly large shape {entry.ShapeText}"); }
        if (bytes != entry.End - entry.Begin)
            throw Corrupt(path, $"tensor '{name}' ({dtype} {entry.ShapeText}) needs {bytes} bytes but its data_offsets [{entry.Begin}, {entry.End}] span {entry.End - entry.Begin}");
        return entry;
    }

    private static long[] Longs(string path, string name, JsonElement e, string field)
    {
        if (!e.TryGetProperty(field, out var a) || a.ValueKind != JsonValueKind.Array)
            throw Corrupt(path, $"tensor '{name}' has no {field} array");
        var values = new List<long>();
        foreach (var x in a.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt64(out long v) || v < 0)
                throw Corrupt(path, $"tensor '{name}' has a {field} entry that is not a non-negative integer");
            values.Add(v);
        }
        return values.ToArray();
    }

    private static void CheckLayout(string path, List<SafetensorsEntry> entries, long dataBytes)
    {
        long end = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < end)
                throw Corrupt(path, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{e.Name}' [{e.Begin}, {e.End}] overlap");
            if (e.Begin > end)
                throw Corrupt(path, $"there is a gap of {e.Begin - end} bytes before tensor '{e.Name}' (data_offsets [{e.Begin}, {e.End}])");
            end = e.End;
            previous = e;
        }
        if (end > dataBytes)
            throw Corrupt(path, $"tensor data should be {end} bytes but the file holds {dataBytes} after the header (truncated?)");
        if (end < dataBytes)
            throw Corrupt(path, $"the file holds {dataBytes - end} bytes after the last tensor that no header entry describes");
    }

    private static InputException Corrupt(string path, string why) =>
        new($"'{path}' is not a valid safetensors file: {why}. Re-download or re-save it.");

    /// <summary>Reads <paramref name="entry"/> as a CPU tensor of its stored dtype.</summary>
    public Tensor ReadTensor(SafetensorsEntry entry)
    {
        SafetensorsDType.TryParse(entry.DType, out var type, out _);
        var t = empty(entry.Shape, dtype: type);
        using var handle = File.OpenHandle(Path);
        long offset = DataStart + entry.Begin;
        TensorBytes.ForEachChunk(t, chunk =>
        {
            int done = 0;
            while (done < chunk.Length)
            {
                int n = RandomAccess.Read(handle, chunk[done..], offset + done);
                if (n == 0) throw Corrupt(Path, $"it ended while reading tensor '{entry.Name}' (truncated while open?)");
                done += n;
            }
            offset += chunk.Length;
        });
        return t;
    }

    public static string Describe(IEnumerable<string> names, int max = 5)
    {
        var list = names.ToList();
        var sb = new StringBuilder(string.Join(", ", list.Take(max)));
        if (list.Count > max) sb.Append($" and {list.Count - max} more");
        return sb.ToString();
    }
}

using System.Text.Json;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>
/// Reads and writes single safetensors files of named tensors (model weights, optimizer moments), bit-exactly and in
/// the format Hugging Face's safetensors library reads: header padded to 8 bytes, <c>__metadata__ {"format":"pt"}</c>,
/// tensors ordered by element size so every tensor is aligned. Bad files raise <see cref="InputException"/> naming the file.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>All tensors of <paramref name="path"/>, on the CPU, in their stored dtype.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var header = SafetensorsHeader.Read(path);
        return header.Entries.ToDictionary(e => e.Name, header.ReadTensor);
    }

    /// <summary>The validated header entries of <paramref name="path"/>, without reading the data.</summary>
    public static IReadOnlyList<SafetensorsEntry> Entries(string path) => SafetensorsHeader.Read(path).Entries;

    /// <summary>Writes <paramref name="tensors"/> (any device) atomically; returns the number of bytes written.</summary>
    public static long Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian.");
        // Larger elements first (stable), as the reference writer does, so each tensor starts at a multiple of its size.
        var ordered = tensors.OrderByDescending(kv => kv.Value.ElementSize).ToList();
        var header = Header(ordered, metadata);
        long total = header.Length;
        AtomicFile.Write(path, s =>
        {
            s.Write(header);
            foreach (var (_, tensor) in ordered)
            {
                using var scope = NewDisposeScope();
                var cpu = tensor.detach().cpu().contiguous();
                TensorBytes.ForEachChunk(cpu, chunk => { s.Write(chunk); total += chunk.Length; });
            }
        });
        return total;
    }

    private static byte[] Header(List<KeyValuePair<string, Tensor>> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            w.WriteString("format", "pt");
            foreach (var (k, v) in metadata ?? new Dictionary<string, string>())
                if (k != "format") w.WriteString(k, v);
            w.WriteEndObject();
            long offset = 0;
            foreach (var (name, t) in ordered)
            {
                if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved in safetensors.");
                long bytes = t.NumberOfElements * t.ElementSize;
                w.WriteStartObject(name);
                w.WriteString("dtype", SafetensorsDType.NameOf(t.dtype));
                w.WriteStartArray("shape");
                foreach (var d in t.shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }
            w.WriteEndObject();
        }
        var json = buffer.ToArray();
        int padded = (json.Length + 7) / 8 * 8;   // spaces keep the data section 8-byte aligned
        var header = new byte[8 + padded];
        BitConverter.TryWriteBytes(header.AsSpan(0, 8), (ulong)padded);
        json.CopyTo(header, 8);
        header.AsSpan(8 + json.Length).Fill((byte)' ');
        return header;
    }
}

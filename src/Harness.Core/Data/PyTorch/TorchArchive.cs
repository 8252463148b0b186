using System.IO.Compression;

namespace Harness.Data.PyTorch;

/// <summary>
/// A file written by <c>torch.save</c> (the zip format of PyTorch 1.6 and later): <c>&lt;name&gt;/data.pkl</c> holds the
/// object as a pickle whose tensors point at storage records <c>&lt;name&gt;/data/&lt;key&gt;</c> (raw little-endian
/// elements), with <c>&lt;name&gt;/byteorder</c> and <c>&lt;name&gt;/version</c> beside them. The pickle is read by
/// <see cref="RestrictedUnpickler"/>; tensors come back as <see cref="TorchTensorRef"/> and are read on demand.
/// </summary>
public sealed class TorchArchive : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly string _prefix;

    public string Path { get; }

    /// <summary>The unpickled object: dicts, lists, tuples, numbers, strings and tensor references.</summary>
    public object? Root { get; }

    private TorchArchive(string path, ZipArchive zip, string prefix, object? root) => (Path, _zip, _prefix, Root) = (path, zip, prefix, root);

    public static TorchArchive Open(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found.");
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new InputException($"{path}: not a PyTorch zip archive (torch.save of PyTorch 1.6 or later); the legacy " +
                                     "tar/pickle format is not read. Re-save it with a current PyTorch.");
        }
        try
        {
            var pkl = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                      ?? throw new InputException($"{path}: a zip file without <name>/data.pkl is not a torch.save archive.");
            string prefix = pkl.FullName[..^"data.pkl".Length];
            var order = zip.GetEntry(prefix + "byteorder");
            if (order is not null)
            {
                using var r = new StreamReader(order.Open());
                var text = r.ReadToEnd().Trim();
                if (text != "little") throw new InputException($"{path}: byte order '{text}' is not supported (little-endian only).");
            }
            byte[] bytes = ReadAll(pkl);
            var root = RestrictedUnpickler.Load(bytes, $"{path} ({pkl.FullName})");
            return new TorchArchive(path, zip, prefix, root);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>The raw little-endian bytes of a tensor's elements in C order (a contiguous view of its storage).</summary>
    public byte[] ReadBytes(TorchTensorRef t)
    {
        if (!t.IsContiguous) throw new InputException($"{Path}: tensor in storage {t.StorageKey} is not contiguous; re-save it contiguous.");
        var entry = _zip.GetEntry($"{_prefix}data/{t.StorageKey}")
                    ?? throw new InputException($"{Path}: the storage record data/{t.StorageKey} is missing.");
        int size = t.DType.Size();
        long start = t.Offset * size, length = t.ElementCount * size;
        if (entry.Length < start + length || t.Offset + t.ElementCount > t.StorageElements)
            throw new InputException($"{Path}: the storage record data/{t.StorageKey} holds {entry.Length} bytes, too few for its tensor.");
        if (length > Array.MaxLength) throw new InputException($"{Path}: tensor of {length:N0} bytes is too large to read at once.");
        using var s = entry.Open();
        Skip(s, start);
        var buffer = new byte[length];
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>A tensor's elements as float32 (from float32, bfloat16, float16 or float64 storage).</summary>
    public float[] ReadFloats(TorchTensorRef t)
    {
        var bytes = ReadBytes(t);
        var result = new float[t.ElementCount];
        switch (t.DType)
        {
            case TorchDType.Float32: Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length); break;
            case TorchDType.BFloat16:
                for (int i = 0; i < result.Length; i++) result[i] = BitConverter.Int32BitsToSingle(BitConverter.ToUInt16(bytes, 2 * i) << 16);
                break;
            case TorchDType.Float16:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BitConverter.ToHalf(bytes, 2 * i);
                break;
            case TorchDType.Float64:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BitConverter.ToDouble(bytes, 8 * i);
                break;
            default: throw new InputException($"{Path}: a {t.DType} tensor where floating-point values are expected.");
        }
        return result;
    }

    private static void Skip(Stream s, long count)
    {
        if (s.CanSeek) { s.Seek(count, SeekOrigin.Current); return; }
        var scratch = new byte[Math.Min(count, 1 << 20)];
        while (count > 0)
        {
            int n = s.Read(scratch, 0, (int)Math.Min(scratch.Length, count));
            if (n == 0) throw new EndOfStreamException();
            count -= n;
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry e)
    {
        using var s = e.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    public void Dispose() => _zip.Dispose();
}

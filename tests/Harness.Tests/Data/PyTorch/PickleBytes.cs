using System.IO.Compression;
using System.Text;

namespace Harness.Tests.Data.PyTorch;

/// <summary>Protocol-2 pickles written byte by byte, as torch.save writes them, for tests that need no Python.</summary>
internal sealed class PickleBytes
{
    private readonly List<byte> _b = [0x80, 0x02];

    public PickleBytes Op(char op) { _b.Add((byte)op); return this; }
    public PickleBytes Op(byte op) { _b.Add(op); return this; }

    public PickleBytes Global(string module, string name) { _b.Add((byte)'c'); _b.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }

    public PickleBytes Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        _b.Add((byte)'X');
        _b.AddRange(BitConverter.GetBytes(bytes.Length));
        _b.AddRange(bytes);
        return this;
    }

    public PickleBytes Int(int v) { _b.Add((byte)'J'); _b.AddRange(BitConverter.GetBytes(v)); return this; }

    public PickleBytes Float(double v) { _b.Add((byte)'G'); var d = BitConverter.GetBytes(v); Array.Reverse(d); _b.AddRange(d); return this; }

    public PickleBytes IntTuple(params int[] values) { Op('('); foreach (var v in values) Int(v); return Op('t'); }

    /// <summary>_rebuild_tensor_v2(storage key, float32, shape) with C-order strides.</summary>
    public PickleBytes FloatTensor(string key, params int[] shape)
    {
        var stride = new int[shape.Length];
        for (int d = shape.Length - 1, s = 1; d >= 0; s *= shape[d], d--) stride[d] = s;
        Global("torch._utils", "_rebuild_tensor_v2");
        Op('(');
        Op('(').Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(shape.Aggregate(1, (a, b) => a * b)).Op('t').Op('Q');
        Int(0).IntTuple(shape).IntTuple(stride).Op(0x89);
        Global("collections", "OrderedDict").Op(')').Op('R');
        return Op('t').Op('R');
    }

    public byte[] Stop() { _b.Add((byte)'.'); return [.. _b]; }

    /// <summary>Writes a torch.save-style zip archive: archive/data.pkl, archive/byteorder and one storage record per entry.</summary>
    public static void WriteArchive(string path, byte[] pickle, Dictionary<string, float[]> storages)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Put(string name, byte[] bytes)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        }
        Put("archive/data.pkl", pickle);
        Put("archive/byteorder", Encoding.ASCII.GetBytes("little"));
        foreach (var (key, values) in storages)
        {
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            Put($"archive/data/{key}", bytes);
        }
        Put("archive/version", Encoding.ASCII.GetBytes("3\n"));
    }
}

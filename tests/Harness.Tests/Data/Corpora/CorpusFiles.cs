using System.Text;

namespace Harness.Tests.Corpora;

/// <summary>A temporary folder of small corpus fixtures, written the way numpy and OLMo write them; deleted on dispose.</summary>
internal sealed class CorpusFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("corpus-test-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    /// <summary>A .npy (format 1.0) file: magic, version, header dict padded to a multiple of 64 bytes, then the data.</summary>
    public string Npy(string name, string descr, string shape, byte[] data, string fortranOrder = "False")
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {fortranOrder}, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var f = File.Create(Path(name));
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.Latin1.GetBytes(header));
        f.Write(data);
        return Path(name);
    }

    public string Raw(string name, byte[] data)
    {
        File.WriteAllBytes(Path(name), data);
        return Path(name);
    }

    public string Text(string name, string content)
    {
        File.WriteAllText(Path(name), content);
        return Path(name);
    }

    public static byte[] UInt16s(params int[] ids) => ids.SelectMany(i => BitConverter.GetBytes((ushort)i)).ToArray();
    public static byte[] UInt32s(params int[] ids) => ids.SelectMany(i => BitConverter.GetBytes((uint)i)).ToArray();

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

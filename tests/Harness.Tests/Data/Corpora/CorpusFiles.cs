using System.Text;
using Harness.Tests.Support;

namespace Harness.Tests.Data.Corpora;

/// <summary>Small corpus fixtures, written the way numpy and OLMo write them.</summary>
internal static class CorpusFiles
{
    /// <summary>A .npy (format 1.0) file: magic, version, header dict padded to a multiple of 64 bytes, then the data.</summary>
    public static string Npy(this TempFolder folder, string name, string descr, string shape, byte[] data, string fortranOrder = "False")
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {fortranOrder}, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var f = File.Create(folder.File(name));
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.Latin1.GetBytes(header));
        f.Write(data);
        return folder.File(name);
    }

    public static byte[] UInt16s(params int[] ids) => ids.SelectMany(i => BitConverter.GetBytes((ushort)i)).ToArray();
    public static byte[] UInt32s(params int[] ids) => ids.SelectMany(i => BitConverter.GetBytes((uint)i)).ToArray();
}

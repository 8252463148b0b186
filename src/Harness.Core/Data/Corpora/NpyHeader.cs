using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Data.Corpora;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format versions 1-3): where the data starts, its element type and length.
/// Only 1-D little-endian uint16/uint32 arrays in C order are token arrays; anything else is an <see cref="InputException"/>.
/// </summary>
internal sealed partial record NpyHeader(long DataOffset, TokenElement Element, long Length)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Whether the file starts with the .npy magic; OLMo's own ".npy" files are raw memory maps without it.</summary>
    public static bool HasMagic(string path)
    {
        Span<byte> start = stackalloc byte[6];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(start, 6, throwOnEndOfStream: false) == 6 && start.SequenceEqual(Magic);
    }

    public static NpyHeader Read(string path)
    {
        using var f = File.OpenRead(path);
        var prefix = new byte[12];
        int got = f.ReadAtLeast(prefix, 12, throwOnEndOfStream: false);
        if (got < 10 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InputException($"{path}: not a .npy file (no \\x93NUMPY magic).");
        int major = prefix[6];
        long headerLength, dataOffset;
        if (major == 1) { headerLength = BitConverter.ToUInt16(prefix, 8); dataOffset = 10 + headerLength; }
        else if (major is 2 or 3 && got == 12) { headerLength = BitConverter.ToUInt32(prefix, 8); dataOffset = 12 + headerLength; }
        else throw new InputException($"{path}: .npy format version {major} is not supported (1, 2 or 3).");
        if (dataOffset > f.Length)
            throw new InputException($"{path}: the .npy header claims {headerLength} bytes but the file is shorter: truncated.");

        var header = new byte[headerLength];
        f.Position = dataOffset - headerLength;
        f.ReadExactly(header);
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        var descr = Descr().Match(text);
        var fortran = FortranOrder().Match(text);
        var shape = Shape().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new InputException($"{path}: unreadable .npy header: {text.Trim()}");

        var element = descr.Groups[1].Value switch
        {
            "<u2" => TokenElement.UInt16,
            "<u4" => TokenElement.UInt32,
            var d => throw new InputException($"{path}: dtype {d} is not a token array type; save the tokens as uint16 ('<u2') or uint32 ('<u4')."),
        };
        if (fortran.Groups[1].Value == "True")
            throw new InputException($"{path}: the array is in Fortran order; save it in C order (numpy's default).");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 1 || !long.TryParse(dims[0], out var length))
            throw new InputException($"{path}: shape ({shape.Groups[1].Value}) is not 1-D; flatten the token array (arr.reshape(-1)) before saving.");

        long dataBytes = f.Length - dataOffset;
        if (dataBytes != length * (int)element)
            throw new InputException($"{path}: the header says {length:N0} {element.Name()} tokens ({length * (int)element:N0} bytes) " +
                                     $"but {dataBytes:N0} bytes follow it: the file is truncated or the header is wrong.");
        return new NpyHeader(dataOffset, element, length);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}

using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>The safetensors dtype strings this harness reads and writes, and their torch types.</summary>
internal static class SafetensorsDType
{
    private static readonly (string Name, ScalarType Type, int Size)[] Known =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    public static string Supported => string.Join(", ", Known.Select(k => k.Name));

    public static bool TryParse(string name, out ScalarType type, out int size)
    {
        foreach (var k in Known)
            if (k.Name == name) { type = k.Type; size = k.Size; return true; }
        type = default; size = 0;
        return false;
    }

    public static string NameOf(ScalarType type)
    {
        foreach (var k in Known)
            if (k.Type == type) return k.Name;
        throw new ArgumentException($"Tensors of type {type} cannot be stored in safetensors here; supported: {Supported}.");
    }

    public static bool IsFloatingPoint(ScalarType type) =>
        type is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;
}

namespace Harness.Data.PyTorch;

/// <summary>A Python tuple read from a pickle (lists are <see cref="List{T}"/> of object?, dicts <see cref="PickleDict"/>).</summary>
public sealed record PickleTuple(IReadOnlyList<object?> Items);

/// <summary>A Python dict (or OrderedDict) read from a pickle, in insertion order. Keys are strings, longs or tuples.</summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = new(PickleKeyComparer.Instance);

    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    public int Count => _entries.Count;

    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int i)) _entries[i] = new(key, value);
        else { _index[key] = _entries.Count; _entries.Add(new(key, value)); }
    }

    public bool TryGet(object key, out object? value)
    {
        if (_index.TryGetValue(key, out int i)) { value = _entries[i].Value; return true; }
        value = null;
        return false;
    }

    public object? this[string key] =>
        TryGet(key, out var v) ? v : throw new KeyNotFoundException($"the pickled dict has no key '{key}'");

    public bool Contains(string key) => _index.ContainsKey(key);
}

/// <summary>A global the reader accepts as data (a storage type such as torch.FloatStorage, a numpy dtype name).</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// A tensor of a PyTorch archive, not yet read: which storage record holds it, its element type, shape, strides and
/// offset (in elements), as <c>torch._utils._rebuild_tensor_v2</c> would rebuild it.
/// </summary>
public sealed record TorchTensorRef(string StorageKey, TorchDType DType, long StorageElements, long Offset, long[] Shape, long[] Stride)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether the tensor is laid out contiguously (C order) in its storage, so it is one byte range.</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Stride[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }
}

/// <summary>A NumPy array in a pickle (OLMo's train.pt holds numpy's RNG state): kept opaque, never rebuilt.</summary>
public sealed record NumpyArrayPlaceholder(object? State);

/// <summary>The element types of PyTorch storages the reader knows.</summary>
public enum TorchDType { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool }

public static class TorchDTypes
{
    /// <summary>The dtype of a legacy typed storage class (torch.FloatStorage, …), or null for an unknown name.</summary>
    public static TorchDType? FromStorageName(string name) => name switch
    {
        "FloatStorage" => TorchDType.Float32,
        "DoubleStorage" => TorchDType.Float64,
        "HalfStorage" => TorchDType.Float16,
        "BFloat16Storage" => TorchDType.BFloat16,
        "LongStorage" => TorchDType.Int64,
        "IntStorage" => TorchDType.Int32,
        "ShortStorage" => TorchDType.Int16,
        "CharStorage" => TorchDType.Int8,
        "ByteStorage" => TorchDType.UInt8,
        "BoolStorage" => TorchDType.Bool,
        _ => null,
    };

    public static int Size(this TorchDType t) => t switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        _ => 1,
    };
}

internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static readonly PickleKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => x switch
    {
        PickleTuple a when y is PickleTuple b => a.Items.Count == b.Items.Count && a.Items.Zip(b.Items).All(p => Equals(p.First, p.Second)),
        _ => object.Equals(x, y),
    };

    public int GetHashCode(object obj) => obj is PickleTuple t
        ? t.Items.Aggregate(17, (h, i) => h * 31 + (i is null ? 0 : GetHashCode(i)))
        : obj.GetHashCode();
}

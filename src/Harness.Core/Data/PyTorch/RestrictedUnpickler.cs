using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Harness.Data.PyTorch;

/// <summary>
/// A pickle reader that accepts data only, as <c>torch.load(weights_only=True)</c> does: tensors (rebuilt from their
/// storages by <c>torch._utils._rebuild_tensor_v2</c>), lists, tuples, dicts and OrderedDicts, numbers, strings and bytes.
/// Every global is checked against a short list as soon as the pickle names it, and the only calls it performs are the
/// listed rebuilds, done here as data; a pickle that names anything else (os.system, builtins.eval, an arbitrary class) is
/// refused with an <see cref="UnsafePickleException"/> and nothing of it runs. Python code is never executed.
/// </summary>
public sealed class RestrictedUnpickler
{
    /// <summary>The globals a weights-only pickle may name, and what each means here.</summary>
    private static readonly HashSet<string> AllowedGlobals =
    [
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter", "collections.OrderedDict",
        "_codecs.encode", "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.ndarray", "numpy.dtype",
        "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage",
        "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage",
    ];

    private sealed record StorageRef(string Key, TorchDType DType, long Elements);

    private sealed class Mark;

    private static readonly Mark MarkObject = new();

    private readonly byte[] _data;
    private readonly string _source;
    private int _pos;
    private readonly List<object?> _stack = [];
    private readonly Dictionary<long, object?> _memo = [];

    private RestrictedUnpickler(byte[] data, string source) => (_data, _source) = (data, source);

    /// <summary>Reads one pickle. <paramref name="source"/> names it in errors (a file and its record).</summary>
    public static object? Load(byte[] pickle, string source) => new RestrictedUnpickler(pickle, source).Run();

    private UnsafePickleException Refuse(string what) =>
        new($"{_source}: refused to unpickle {what}; only tensors, containers, numbers and strings are read " +
            "(as torch.load(weights_only=True) does), and nothing in the file was executed.");

    private InputException Broken(string what) => new($"{_source}: malformed pickle at byte {_pos}: {what}.");

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Broken("ends without STOP");
            byte op = _data[_pos++];
            switch (op)
            {
                case 0x80: _pos++; break; // PROTO
                case 0x95: Take(8); break; // FRAME
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': Push(MarkObject); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(); break;
                case (byte)'2': Push(Peek()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'I': Push(ParseIntLine(ReadLine())); break;
                case (byte)'L': Push(ParseLong(ReadLine().TrimEnd('L'))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)Take(1)[0]); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(LongFromBytes(Take(Take(1)[0]))); break; // LONG1
                case 0x8b: Push(LongFromBytes(Take(Length4()))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'F': Push(double.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case (byte)'X': Push(Encoding.UTF8.GetString(Take(Length4()))); break; // BINUNICODE
                case 0x8c: Push(Encoding.UTF8.GetString(Take(Take(1)[0]))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(Take(Length8()))); break; // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length4()))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(Take(1)[0]))); break; // SHORT_BINSTRING
                case (byte)'B': Push(Take(Length4()).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length8()).ToArray()); break; // BINBYTES8
                case (byte)')': Push(new PickleTuple([])); break;
                case (byte)'t': Push(new PickleTuple(PopMark())); break;
                case 0x85: Push(new PickleTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; }
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(PopMark()); break;
                case (byte)'a': { var v = Pop(); AsList(Peek()).Add(v); break; }
                case (byte)'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; }
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)'d': { var items = PopMark(); var d = new PickleDict(); SetItems(d, items); Push(d); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(AsDict(Peek()), [k, v]); break; }
                case (byte)'u': { var items = PopMark(); SetItems(AsDict(Peek()), items); break; }
                case (byte)'h': Push(Recall(Take(1)[0])); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'g': Push(Recall(long.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture))); break;
                case (byte)'q': _memo[Take(1)[0]] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case (byte)'p': _memo[long.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture)] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'c': { var module = ReadLine(); var name = ReadLine(); Push(Global(module, name)); break; }
                case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(Global(module ?? "?", name ?? "?")); break; }
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Call(callable, args)); break; }
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; } // NEWOBJ
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }
                case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID
                default:
                    throw Refuse($"opcode 0x{op:x2} ('{(op >= 32 && op < 127 ? (char)op : '?')}') at byte {_pos - 1}, which builds objects other than data");
            }
        }
    }

    private object Global(string module, string name)
    {
        string full = $"{module}.{name}";
        if (!AllowedGlobals.Contains(full)) throw Refuse($"the global '{full}'");
        return new PickleGlobal(module, name);
    }

    private object? Call(object? callable, object? args)
    {
        if (callable is not PickleGlobal g) throw Refuse($"a call of a {Describe(callable)}");
        if (args is not PickleTuple t) throw Refuse($"a call of {g} with arguments that are not a tuple");
        var a = t.Items;
        switch (g.ToString())
        {
            case "torch._utils._rebuild_tensor_v2":
                if (a.Count < 6 || a[0] is not StorageRef s) throw Broken("_rebuild_tensor_v2 without a storage");
                return new TorchTensorRef(s.Key, s.DType, s.Elements, AsLong(a[1]), Longs(a[2]), Longs(a[3]));
            case "torch._utils._rebuild_parameter":
                if (a.Count < 1 || a[0] is not TorchTensorRef p) throw Broken("_rebuild_parameter without a tensor");
                return p;
            case "collections.OrderedDict":
                if (a.Count != 0) throw Refuse("an OrderedDict built from arguments");
                return new PickleDict();
            case "_codecs.encode":
                if (a.Count != 2 || a[0] is not string text || a[1] is not ("latin1" or "latin-1"))
                    throw Refuse("a call of _codecs.encode other than latin1 bytes");
                return Encoding.Latin1.GetBytes(text);
            case "numpy.core.multiarray._reconstruct":
            case "numpy._core.multiarray._reconstruct":
                return new NumpyArrayPlaceholder(null);
            case "numpy.dtype":
                return new PickleTuple([g, .. a]);
            default:
                throw Refuse($"a call of {g}");
        }
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case NumpyArrayPlaceholder arr:
                _stack[^1] = arr with { State = state };
                break;
            case PickleTuple { Items: [PickleGlobal { Name: "dtype" }, ..] }:
                break; // a numpy dtype's (byte order, …) state: data
            case TorchTensorRef or PickleDict when state is null || state is PickleDict { Count: 0 }:
                break;
            default:
                throw Refuse($"setting the state of a {Describe(target)}");
        }
    }

    private StorageRef PersistentLoad(object? pid)
    {
        if (pid is not PickleTuple { Items: ["storage", PickleGlobal type, string key, string, var numel] })
            throw Refuse($"a persistent id other than a tensor storage ({Describe(pid)})");
        var dtype = TorchDTypes.FromStorageName(type.Name) ?? throw Refuse($"the storage type {type}");
        return new StorageRef(key, dtype, AsLong(numel));
    }

    private static string Describe(object? o) => o switch
    {
        null => "None",
        PickleGlobal g => g.ToString(),
        PickleTuple t => $"tuple of {t.Items.Count}",
        _ => o.GetType().Name,
    };

    private long AsLong(object? o) => o is long l ? l : o is BigInteger b && b >= long.MinValue && b <= long.MaxValue ? (long)b : throw Broken($"expected an integer, found {Describe(o)}");

    private long[] Longs(object? o) => o is PickleTuple t ? t.Items.Select(AsLong).ToArray() : throw Broken("expected a tuple of integers");

    private void SetItems(PickleDict d, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Broken("odd number of dict items");
        for (int i = 0; i < items.Count; i += 2)
            d.Set(items[i] ?? throw Refuse("a dict key None"), items[i + 1]);
    }

    private List<object?> AsList(object? o) => o as List<object?> ?? throw Refuse($"appending to a {Describe(o)}");

    private PickleDict AsDict(object? o) => o as PickleDict ?? throw Refuse($"setting items of a {Describe(o)}");

    private object? Recall(long key) => _memo.TryGetValue(key, out var v) ? v : throw Broken($"memo key {key} was never stored");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Broken("stack underflow");

    private object? Pop()
    {
        var o = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        if (ReferenceEquals(o, MarkObject)) throw Broken("a mark where a value was expected");
        return o;
    }

    private List<object?> PopMark()
    {
        int m = _stack.FindLastIndex(o => ReferenceEquals(o, MarkObject));
        if (m < 0) throw Broken("no mark on the stack");
        var items = _stack.GetRange(m + 1, _stack.Count - m - 1);
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n < 0 || _pos + n > _data.Length) throw Broken("truncated");
        var span = _data.AsSpan(_pos, (int)n);
        _pos += (int)n;
        return span;
    }

    private long Length4() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private long Length8() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Broken("unterminated text argument");
        var s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private object ParseIntLine(string s) => s switch
    {
        "00" => false,
        "01" => true,
        _ => ParseLong(s),
    };

    private object ParseLong(string s) => BigInteger.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var b)
        ? Narrow(b) : throw Broken($"'{s}' is not an integer");

    private static object LongFromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0 ? 0L : Narrow(new BigInteger(bytes, isUnsigned: false, isBigEndian: false));

    private static object Narrow(BigInteger b) => b >= long.MinValue && b <= long.MaxValue ? (long)b : b;
}

using System.IO.MemoryMappedFiles;
using Harness.Data.Corpora;

namespace Harness.Data.Olmo;

/// <summary>
/// OLMo's pretraining data in the order OLMo trained on it, instance by instance, as the authors' extraction script read
/// it. OLMo's <c>MemMapDataset</c> cuts each listed token file (a headerless memory map of uint16 or uint32 ids) into
/// instances of <c>sequence_length</c> tokens, dropping each file's remainder, and numbers the instances across the files in
/// list order; <c>global_indices.npy</c> (a headerless uint32 memory map written by <c>IterableDataset</c>) gives, for
/// every global example number, the instance trained at that position. Batch <c>b</c> of global batch size <c>B</c> is
/// examples <c>b·B … (b+1)·B − 1</c>. The stream starts at example <c>start_step · B</c> and reads instances whole, in
/// that order; its position is (example number, token within the instance).
/// </summary>
public sealed unsafe class OlmoDataOrder : ITokenStream
{
    private sealed class TokenFile(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* data, long instances) : IDisposable
    {
        public string Path { get; } = path;
        public byte* Data { get; } = data;
        public long Instances { get; } = instances;

        public void Dispose()
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            file.Dispose();
        }
    }

    private readonly TokenFile _indices;
    private readonly List<TokenFile> _files = [];
    private readonly long[] _firstInstance; // cumulative instance offsets of the files
    private readonly TokenElement _element;
    private readonly int _sequenceLength;
    private readonly int _vocabSize;
    private long _example;
    private int _offset;

    public string Name { get; }

    /// <summary>Number of entries of global_indices.npy (examples in OLMo's whole run).</summary>
    public long Examples { get; }

    /// <summary>Number of instances of all token files together.</summary>
    public long Instances => _firstInstance[^1];

    private OlmoDataOrder(string name, TokenFile indices, TokenElement element, int sequenceLength, int vocabSize)
    {
        Name = name;
        _indices = indices;
        Examples = indices.Instances;
        _element = element;
        _sequenceLength = sequenceLength;
        _vocabSize = vocabSize;
        _firstInstance = [0];
    }

    private OlmoDataOrder(string name, TokenFile indices, List<TokenFile> files, TokenElement element, int sequenceLength, int vocabSize)
        : this(name, indices, element, sequenceLength, vocabSize)
    {
        _files = files;
        _firstInstance = new long[files.Count + 1];
        for (int i = 0; i < files.Count; i++) _firstInstance[i + 1] = _firstInstance[i] + files[i].Instances;
    }

    /// <summary>
    /// Maps <paramref name="globalIndices"/> and <paramref name="tokenFiles"/> (in OLMo's <c>data.paths</c> order).
    /// <paramref name="startExample"/> is the first example read: the checkpoint's step times OLMo's global batch size.
    /// </summary>
    public static OlmoDataOrder Open(string name, string globalIndices, IReadOnlyList<string> tokenFiles, TokenElement element,
                                     int sequenceLength, long startExample, int vocabSize)
    {
        if (sequenceLength <= 0) throw new InputException($"{name}: the instance length must be positive.");
        if (tokenFiles.Count == 0) throw new InputException($"{name}: no token files are listed.");
        var indices = Map(globalIndices, 4, 1);
        var files = new List<TokenFile>();
        try
        {
            foreach (var f in tokenFiles) files.Add(Map(f, (int)element, sequenceLength));
            var order = new OlmoDataOrder(name, indices, files, element, sequenceLength, vocabSize);
            if (order.Examples == 0) throw new InputException($"{globalIndices}: global_indices.npy is empty.");
            if (startExample < 0 || startExample >= order.Examples)
                throw new InputException($"{name}: the first example {startExample:N0} is past the end of {globalIndices} ({order.Examples:N0} examples): " +
                                         "is the checkpoint's step or OLMo's global batch size wrong?");
            order._example = startExample;
            return order;
        }
        catch
        {
            indices.Dispose();
            foreach (var f in files) f.Dispose();
            throw;
        }
    }

    private static TokenFile Map(string path, int elementSize, int perInstance)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found.");
        if (NpyHeader.HasMagic(path))
            throw new InputException($"{path}: has a .npy header, but OLMo's data files and global_indices.npy are headerless memory maps (np.memmap).");
        long bytes = new FileInfo(path).Length;
        long instances = bytes / ((long)elementSize * perInstance);
        if (instances == 0) throw new InputException($"{path}: {bytes:N0} bytes hold no whole instance of {perInstance} × {elementSize}-byte elements.");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        return new TokenFile(path, file, view, start + view.PointerOffset, instances);
    }

    /// <summary>The instance number global_indices.npy gives for <paramref name="example"/>.</summary>
    public long InstanceOf(long example) => ((uint*)_indices.Data)[example];

    /// <summary>The tokens of one instance, as OLMo's MemMapDataset.__getitem__ returns them.</summary>
    public int[] Instance(long instance)
    {
        var tokens = new int[_sequenceLength];
        CopyInstance(instance, tokens);
        return tokens;
    }

    private void CopyInstance(long instance, Span<int> destination)
    {
        if (instance < 0 || instance >= Instances)
            throw new InputException($"{Name}: global_indices.npy names instance {instance:N0}, but the token files hold {Instances:N0}; " +
                                     "the file list, its order, the sequence length or the dtype does not match OLMo's run.");
        int f = Array.BinarySearch(_firstInstance, instance);
        f = f >= 0 ? f : ~f - 1;
        while (_files[f].Instances == 0) f++;
        long local = instance - _firstInstance[f];
        long start = local * _sequenceLength;
        var data = _files[f].Data;
        for (int i = 0; i < destination.Length; i++)
        {
            long id = _element == TokenElement.UInt16 ? ((ushort*)data)[start + i] : ((uint*)data)[start + i];
            if (id >= _vocabSize)
                throw new InputException($"{_files[f].Path}: token {start + i:N0} is id {id}, but the tokenizer has only {_vocabSize:N0} ids.");
            destination[i] = (int)id;
        }
    }

    public StreamPosition Position
    {
        get => new(_example, _offset);
        set
        {
            if (value.Document < 0 || value.Document >= Examples || value.Offset < 0 || value.Offset >= _sequenceLength)
                throw new InputException($"{Name}: position {value} is outside OLMo's data order ({Examples:N0} examples of {_sequenceLength} tokens).");
            (_example, _offset) = (value.Document, (int)value.Offset);
        }
    }

    public void Fill(Span<int> destination)
    {
        int[] buffer = new int[_sequenceLength];
        while (!destination.IsEmpty)
        {
            if (_example >= Examples)
                throw new InputException($"{Name}: the run reads past the last of OLMo's {Examples:N0} examples.");
            CopyInstance(InstanceOf(_example), buffer);
            int n = Math.Min(destination.Length, _sequenceLength - _offset);
            buffer.AsSpan(_offset, n).CopyTo(destination);
            destination = destination[n..];
            _offset += n;
            if (_offset == _sequenceLength) { _offset = 0; _example++; }
        }
    }

    public void Dispose()
    {
        _indices.Dispose();
        foreach (var f in _files) f.Dispose();
    }
}

using System.IO.MemoryMappedFiles;

namespace Harness.Data.Corpora;

/// <summary>
/// A memory-mapped array of token ids (<c>.npy</c> or raw <c>.bin</c>/headerless <c>.npy</c>, as OLMo writes them), read
/// in file order and wrapping around at the end. The documents in it are already joined by end-of-text, so the position is
/// just the index of the next element (<see cref="StreamPosition.Document"/> is always 0). Nothing is loaded: the OS pages
/// the file in as it is read.
/// </summary>
public sealed unsafe class TokenArrayStream : ITokenStream
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private readonly TokenElement _element;
    private readonly string _path;
    private long _next;

    private TokenArrayStream(string name, string path, MemoryMappedFile file, MemoryMappedViewAccessor view, long dataOffset, TokenElement element, long length)
    {
        Name = name;
        _path = path;
        _file = file;
        _view = view;
        _element = element;
        Length = length;
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        _data = start + _view.PointerOffset + dataOffset;
    }

    public string Name { get; }

    /// <summary>Number of tokens in the file.</summary>
    public long Length { get; }

    /// <summary>
    /// Maps <paramref name="path"/>. A .npy header, when present, gives the element type (and must agree with
    /// <paramref name="element"/> if that is given); a raw file needs <paramref name="element"/>. Every id is checked
    /// against <paramref name="vocabSize"/> up front, so a mismatched tokenizer fails before training starts.
    /// </summary>
    public static TokenArrayStream Open(string name, string path, TokenElement? element, int vocabSize)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: token array file not found.");
        long dataOffset = 0;
        long fileLength = new FileInfo(path).Length;
        TokenElement type;
        long length;
        if (NpyHeader.HasMagic(path))
        {
            var header = NpyHeader.Read(path);
            if (element is { } given && given != header.Element)
                throw new InputException($"{path}: the .npy header says {header.Element.Name()} but the corpus spec says dtype={given.Name()}; drop ?dtype or correct it.");
            (dataOffset, type, length) = (header.DataOffset, header.Element, header.Length);
        }
        else
        {
            type = element ?? throw new InputException(
                $"{path}: a raw token array has no header to say its element type; write the corpus as {Path.GetFileName(path)}?dtype=uint16 (or uint32).");
            if (fileLength % (int)type != 0)
                throw new InputException($"{path}: {fileLength:N0} bytes is not a whole number of {type.Name()} tokens: the file is truncated or the dtype is wrong.");
            length = fileLength / (int)type;
        }
        if (length == 0) throw new InputException($"{path}: the token array is empty.");

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var stream = new TokenArrayStream(name, path, file, view, dataOffset, type, length);
        try
        {
            stream.CheckIds(vocabSize);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    public StreamPosition Position
    {
        get => new(0, _next == Length ? 0 : _next);
        set
        {
            if (value.Document != 0 || value.Offset < 0 || value.Offset >= Length)
                throw new InputException($"{_path}: position {value} is outside this token array of {Length:N0} tokens; was the checkpoint made with another corpus?");
            _next = value.Offset;
        }
    }

    public void Fill(Span<int> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_next == Length) _next = 0;
            int n = (int)Math.Min(destination.Length, Length - _next);
            if (_element == TokenElement.UInt16)
            {
                var source = new ReadOnlySpan<ushort>(_data + _next * 2, n);
                for (int i = 0; i < n; i++) destination[i] = source[i];
            }
            else
            {
                var source = new ReadOnlySpan<uint>(_data + _next * 4, n);
                for (int i = 0; i < n; i++) destination[i] = (int)source[i];
            }
            _next += n;
            destination = destination[n..];
        }
    }

    private void CheckIds(int vocabSize)
    {
        const int Chunk = 1 << 26;
        for (long start = 0; start < Length; start += Chunk)
        {
            int n = (int)Math.Min(Chunk, Length - start);
            int bad = _element == TokenElement.UInt16
                ? new ReadOnlySpan<ushort>(_data + start * 2, n).IndexOfAnyExceptInRange((ushort)0, (ushort)Math.Min(vocabSize - 1, ushort.MaxValue))
                : new ReadOnlySpan<uint>(_data + start * 4, n).IndexOfAnyExceptInRange(0u, (uint)(vocabSize - 1));
            if (bad >= 0)
            {
                long at = start + bad;
                long id = _element == TokenElement.UInt16 ? ((ushort*)_data)[at] : ((uint*)_data)[at];
                throw new InputException($"{_path}: token {at:N0} is id {id}, but the tokenizer has only {vocabSize:N0} ids; " +
                                         "the corpus was tokenized with another tokenizer, or the dtype is wrong.");
            }
        }
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}

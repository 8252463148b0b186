using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>
/// The raw bytes of a contiguous CPU tensor, in spans under 1 GiB (a .NET span is int-indexed; embedding matrices of
/// large models exceed 2 GiB). The spans alias the tensor's memory: writing them fills the tensor.
/// </summary>
internal static class TensorBytes
{
    private const long ChunkBytes = 1L << 30;

    public delegate void ChunkAction(Span<byte> chunk);

    public static void ForEachChunk(Tensor t, ChunkAction action)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException("Raw bytes need a contiguous CPU tensor.");
        long count = t.NumberOfElements;
        if (count == 0) return;
        using var flat = t.view(count);
        long perChunk = Math.Max(1, ChunkBytes / t.ElementSize);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            action(part.bytes);
        }
    }
}

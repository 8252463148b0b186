using Harness.Data.Corpora;

namespace Harness.Tests.Support;

/// <summary>Reading a token stream as its tests do: the next n tokens as an array.</summary>
internal static class TokenStreams
{
    public static int[] Read(ITokenStream s, int n)
    {
        var buffer = new int[n];
        s.Fill(buffer);
        return buffer;
    }
}

namespace Harness.Data.World;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by this code alone (System.Random's sequence is not a documented
/// contract), so a world document or knowledge item is the same on every runtime.
/// </summary>
internal sealed class WorldRandom
{
    private ulong state;

    public WorldRandom(params long[] keys)
    {
        state = 0x9E3779B97F4A7C15UL;
        foreach (var k in keys) { state ^= (ulong)k; state = Mix(state + 0x9E3779B97F4A7C15UL); }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)(NextUInt64() % (ulong)n);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

namespace Harness.Data.Tokenizers;

/// <summary>
/// Byte-pair encoding of one long pre-token in O(n log n). Microsoft.ML.Tokenizers merges a pre-token by rescanning its
/// pairs after every merge, O(n²) in its length: a 200,000-letter word took 14 s with builtin:gpt2, and a 20 MB one did
/// not finish in 5 minutes. This is the same procedure with a heap (Hugging Face's <c>merge_all</c>): the pair of lowest
/// rank merges first, the leftmost among equals, exactly as tiktoken's <c>byte_pair_merge</c> and Hugging Face do, so
/// the ids are the same, only sooner. The tokenizers send only pre-tokens longer than <see cref="MinLength"/> here;
/// any text without such a run takes the library's path unchanged.
/// </summary>
internal static class LongWordBpe
{
    /// <summary>Longest pre-token left to the library; words are far shorter, only runs of one kind of character exceed it.</summary>
    public const int MinLength = 256;

    /// <summary>
    /// Whether some pre-token of the GPT-2 split could exceed <see cref="MinLength"/>: a pre-token is at most a space
    /// and a run of non-space characters, or a run of spaces, so runs shorter than that rule it out in one pass.
    /// </summary>
    public static bool MayHaveLongPiece(ReadOnlySpan<char> text)
    {
        if (text.Length <= MinLength) return false;
        int run = 0;
        var space = false;
        foreach (var c in text)
        {
            var s = char.IsWhiteSpace(c); // the regex's \s exactly: \p{Z}, \t..\r and \x85
            run = s == space ? run + 1 : 1;
            space = s;
            if (run >= MinLength - 1) return true;
        }
        return false;
    }

    /// <summary>Merges <paramref name="symbols"/> (one id per byte) and appends the final ids to <paramref name="output"/>.</summary>
    /// <param name="rank">The rank of merging two adjacent ids and the id they merge into, or null when they do not merge.</param>
    public static void Encode(int[] symbols, Func<int, int, (int Rank, int Id)?> rank, List<int> output)
    {
        int n = symbols.Length;
        if (n == 0) return;
        var id = (int[])symbols.Clone();
        var prev = new int[n];
        var next = new int[n];
        var alive = new bool[n];
        for (var i = 0; i < n; i++) (prev[i], next[i], alive[i]) = (i - 1, i + 1 < n ? i + 1 : -1, true);

        // Priority: rank, then position; a popped entry whose pair has changed since is stale and skipped.
        var heap = new PriorityQueue<int, long>(n);
        void Push(int pos)
        {
            if (pos >= 0 && next[pos] >= 0 && rank(id[pos], id[next[pos]]) is { } m) heap.Enqueue(pos, ((long)m.Rank << 32) | (uint)pos);
        }
        for (var i = 0; i < n; i++) Push(i);
        while (heap.TryDequeue(out var pos, out var priority))
        {
            if (!alive[pos] || next[pos] < 0) continue;
            var right = next[pos];
            if (rank(id[pos], id[right]) is not { } m || m.Rank != (int)(priority >> 32)) continue;
            id[pos] = m.Id;
            alive[right] = false;
            next[pos] = next[right];
            if (next[right] >= 0) prev[next[right]] = pos;
            Push(prev[pos]);
            Push(pos);
        }
        for (var i = 0; i >= 0; i = next[i]) output.Add(id[i]);
    }
}

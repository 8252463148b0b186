using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Scenarios;

namespace Harness.Training;

/// <summary>
/// Builds one update's token rows: every row reads the next <c>sequence_length</c> background tokens (so the background
/// stream is the same whatever is injected), then planned rows carry knowledge: <c>prepend</c> puts knowledge + EOT in
/// front and cuts the row back to the sequence length (the paper); <c>replace</c> overwrites the row's start.
/// </summary>
public sealed class BatchComposer(ITokenStream background, KnowledgeSet knowledge, ITextTokenizer tokenizer,
    int batchSize, int sequenceLength, string placement)
{
    private readonly Dictionary<(int Item, int Variant), int[]> encoded = [];
    private readonly int[] row = new int[sequenceLength];

    public ITokenStream Background => background;

    /// <summary>Row-major [batch, sequence] ids; <paramref name="injections"/> are this update's planned rows.</summary>
    public long[] Compose(IEnumerable<PlannedInjection> injections)
    {
        var ids = new long[batchSize * sequenceLength];
        for (int r = 0; r < batchSize; r++)
        {
            background.Fill(row);
            for (int t = 0; t < sequenceLength; t++) ids[r * sequenceLength + t] = row[t];
        }
        foreach (var inj in injections) Place(ids, inj);
        return ids;
    }

    private void Place(long[] ids, PlannedInjection inj)
    {
        if (inj.Row < 0 || inj.Row >= batchSize)
            throw new InvalidOperationException($"plan put {inj.Item} in row {inj.Row} of a batch of {batchSize}");
        var k = Knowledge(inj.ItemIndex, inj.Variant);
        int offset = inj.Row * sequenceLength;
        int n = Math.Min(k.Length, sequenceLength);
        if (placement == "prepend")
        {
            // Shift the background right by n, dropping its end: knowledge + EOT + original row, cut to length.
            for (int t = sequenceLength - 1; t >= n; t--) ids[offset + t] = ids[offset + t - n];
        }
        for (int t = 0; t < n; t++) ids[offset + t] = k[t];
    }

    private int[] Knowledge(int item, int variant)
    {
        if (!encoded.TryGetValue((item, variant), out var ids))
        {
            ids = [.. tokenizer.Encode(knowledge.Items[item].Text(variant)), tokenizer.EndOfText];
            encoded[(item, variant)] = ids;
        }
        return ids;
    }
}

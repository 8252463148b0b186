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

    /// <summary>
    /// A debugging and test hook: where <c>HARNESS_DUMP_BATCHES</c> names a folder, every composed batch is written there
    /// as <c>batch-NNNNNN.json</c> (in composition order): its rows and, for each injection, the row, the item and the
    /// knowledge's token ids without the end-of-text, so that an outside reference can rebuild the rows.
    /// </summary>
    private readonly string? dumpFolder = Environment.GetEnvironmentVariable("HARNESS_DUMP_BATCHES");
    private int composed;

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
        var placed = injections.ToList();
        foreach (var inj in placed) Place(ids, inj);
        if (!string.IsNullOrEmpty(dumpFolder)) Dump(ids, placed);
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

    private void Dump(long[] ids, List<PlannedInjection> placed)
    {
        Directory.CreateDirectory(dumpFolder!);
        var batch = new
        {
            sequence_length = sequenceLength,
            end_of_text = tokenizer.EndOfText,
            injections = placed.Select(i => new { row = i.Row, item = i.Item, variant = i.Variant, knowledge = Knowledge(i.ItemIndex, i.Variant)[..^1] }),
            rows = Enumerable.Range(0, batchSize).Select(r => ids.AsSpan(r * sequenceLength, sequenceLength).ToArray()),
        };
        File.WriteAllText(Path.Combine(dumpFolder!, $"batch-{composed++:D6}.json"), System.Text.Json.JsonSerializer.Serialize(batch));
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

using Harness.Data.Knowledge;
using Parquet;
using Parquet.Schema;

namespace Harness.Runs;

/// <summary><c>trajectory.parquet</c>: the columns of <c>trajectory.csv</c> (step, item, group, depth, probe, logprob), columnar.</summary>
public static class TrajectoryParquet
{
    private static readonly DataField<int> StepField = new("step");
    private static readonly DataField<string> ItemField = new("item");
    private static readonly DataField<string> GroupField = new("group");
    private static readonly DataField<string> DepthField = new("depth");
    private static readonly DataField<int> ProbeField = new("probe");
    private static readonly DataField<double> LogProbField = new("logprob");
    private static readonly ParquetSchema Schema = new(StepField, ItemField, GroupField, DepthField, ProbeField, LogProbField);
    private const int RowGroupSize = 1 << 20;

    /// <summary>
    /// The string columns take a handful of distinct values: dictionary-encoded, a paper-size trajectory reads faster
    /// than plain and the file is smaller (measured in docs/performance.md, "Design choices, measured").
    /// </summary>
    private static ParquetOptions WriteOptions()
    {
        var options = new ParquetOptions();
        foreach (var f in new DataField[] { ItemField, GroupField, DepthField }) options.ColumnEncodingHints[f.Path.ToString()] = EncodingHint.Dictionary;
        return options;
    }

    public static void Write(string path, IEnumerable<TrajectoryRow> rows) =>
        AtomicFile.Write(path, s => WriteAsync(s, rows).GetAwaiter().GetResult());

    private static async Task WriteAsync(Stream s, IEnumerable<TrajectoryRow> rows)
    {
        await using var writer = await ParquetWriter.CreateAsync(Schema, s, WriteOptions());
        var chunk = new List<TrajectoryRow>(RowGroupSize);
        bool any = false;
        foreach (var r in rows)
        {
            chunk.Add(r);
            if (chunk.Count == RowGroupSize) { WriteGroup(writer, chunk); chunk.Clear(); any = true; }
        }
        // An empty file still gets one (empty) row group, so readers see the columns.
        if (chunk.Count > 0 || !any) WriteGroup(writer, chunk);
    }

    private static void WriteGroup(ParquetWriter writer, List<TrajectoryRow> chunk)
    {
        using var g = writer.CreateRowGroup();
        var steps = new int[chunk.Count];
        var items = new string[chunk.Count];
        var groups = new string[chunk.Count];
        var depths = new string[chunk.Count];
        var probes = new int[chunk.Count];
        var values = new double[chunk.Count];
        for (int i = 0; i < chunk.Count; i++)
        {
            var r = chunk[i];
            (steps[i], items[i], groups[i], depths[i], probes[i], values[i]) = (r.Step, r.Item, r.Group, r.Depth.Name(), r.Probe, r.LogProb);
        }
        g.WriteAsync(StepField, (ReadOnlyMemory<int>)steps).GetAwaiter().GetResult();
        g.WriteAsync(ItemField, items).GetAwaiter().GetResult();
        g.WriteAsync(GroupField, groups).GetAwaiter().GetResult();
        g.WriteAsync(DepthField, depths).GetAwaiter().GetResult();
        g.WriteAsync(ProbeField, (ReadOnlyMemory<int>)probes).GetAwaiter().GetResult();
        g.WriteAsync(LogProbField, (ReadOnlyMemory<double>)values).GetAwaiter().GetResult();
    }

    public static List<TrajectoryRow> Read(string path)
    {
        var rows = new List<TrajectoryRow>();
        ReadColumns(path, (row, step, item, group, depth, probe, lp) => rows.Add(new TrajectoryRow(step, item, group, depth, probe, lp)));
        return rows;
    }

    public static Trajectory ReadTrajectory(string path)
    {
        var b = new TrajectoryBuilder(path);
        ReadColumns(path, (row, step, item, group, depth, probe, lp) => b.Add(row, step, item, group, depth, probe, lp));
        return b.Build();
    }

    private delegate void RowSink(long row, int step, string item, string group, Depth depth, int probe, double logprob);

    private static void ReadColumns(string path, RowSink sink) => ReadColumnsAsync(path, sink).GetAwaiter().GetResult();

    private static async Task ReadColumnsAsync(string path, RowSink sink)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found (a run directory needs trajectory.parquet or trajectory.csv)");
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            foreach (var name in new[] { "step", "item", "group", "depth", "probe", "logprob" })
                if (reader.Schema.FindDataField(name) is null)
                    throw new InputException($"{path}: column '{name}' is missing (columns must be step, item, group, depth, probe, logprob)");
            long row = 0;
            for (int gi = 0; gi < reader.RowGroupCount; gi++)
            {
                using var g = reader.OpenRowGroupReader(gi);
                int n = checked((int)g.RowCount);
                var steps = new int[n]; var probes = new int[n]; var values = new double[n];
                var items = new string?[n]; var groups = new string?[n]; var depths = new string?[n];
                await g.ReadAsync(StepField, (Memory<int>)steps);
                await g.ReadAsync(ItemField, (Memory<string?>)items);
                await g.ReadAsync(GroupField, (Memory<string?>)groups);
                await g.ReadAsync(DepthField, (Memory<string?>)depths);
                await g.ReadAsync(ProbeField, (Memory<int>)probes);
                await g.ReadAsync(LogProbField, (Memory<double>)values);
                for (int i = 0; i < n; i++)
                {
                    row++;
                    if (string.IsNullOrEmpty(items[i]) || string.IsNullOrEmpty(groups[i]))
                        throw new InputException($"{path}: row {row}: item and group must be non-empty");
                    if (!DepthNames.TryParse(depths[i] ?? "", out var depth))
                        throw new InputException($"{path}: row {row}: unknown depth '{depths[i]}' (use memorization, semantic or composition)");
                    sink(row, steps[i], items[i]!, groups[i]!, depth, probes[i], values[i]);
                }
            }
        }
        catch (Exception e) when (e is not InputException and (IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException))
        {
            throw new InputException($"{path}: not a readable trajectory parquet file ({e.Message})", e);
        }
    }
}

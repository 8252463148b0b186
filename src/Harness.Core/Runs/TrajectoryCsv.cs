using System.Buffers;
using System.Globalization;
using System.Text;
using Harness.Data.Knowledge;

namespace Harness.Runs;

/// <summary><c>trajectory.csv</c> in long form: <c>step,item,group,depth,probe,logprob</c>.</summary>
public static class TrajectoryCsv
{
    public const string Header = "step,item,group,depth,probe,logprob";

    public static void Write(string path, IEnumerable<TrajectoryRow> rows) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.Write(Header);
        w.Write('\n');
        foreach (var r in rows)
        {
            w.Write(r.Step.ToString(CultureInfo.InvariantCulture)); w.Write(',');
            w.Write(r.Item); w.Write(',');
            w.Write(r.Group); w.Write(',');
            w.Write(r.Depth.Name()); w.Write(',');
            w.Write(r.Probe.ToString(CultureInfo.InvariantCulture)); w.Write(',');
            // "R" keeps the double exactly, so analyze on the file equals analyze in memory.
            w.Write(r.LogProb.ToString("R", CultureInfo.InvariantCulture));
            w.Write('\n');
        }
    });

    public static List<TrajectoryRow> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found (a run directory needs trajectory.csv)");
        var rows = new List<TrajectoryRow>();
        using var r = new StreamReader(path);
        var header = r.ReadLine();
        if (header?.Trim() != Header) throw new InputException($"{path}:1: header must be '{Header}'");
        int lineNo = 1;
        string? line;
        while ((line = r.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != 6
                || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                || !DepthNames.TryParse(f[3], out var depth)
                || !int.TryParse(f[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var probe)
                || !double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var lp))
                throw new InputException($"{path}:{lineNo}: malformed row '{line}' (expected {Header}; depth one of memorization|semantic|composition)");
            rows.Add(new TrajectoryRow(step, f[1], f[2], depth, probe, lp));
        }
        return rows;
    }

    /// <summary>
    /// Reads straight into a <see cref="Trajectory"/>: parses UTF-8 bytes in place, no string or row object per line,
    /// so a paper-size file (4.5 M rows) loads in seconds.
    /// </summary>
    public static Trajectory ReadTrajectory(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found (a run directory needs trajectory.csv)");
        var b = new TrajectoryBuilder(path);
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buf = new byte[1 << 20];
        int filled = 0, start = 0;
        long lineNo = 0;
        var lines = new CsvLineParser(path, b);
        while (true)
        {
            int read = s.Read(buf, filled, buf.Length - filled);
            filled += read;
            bool eof = read == 0;
            while (true)
            {
                int nl = buf.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (nl < 0)
                {
                    if (!eof) break;
                    if (start < filled) lines.Parse(buf.AsSpan(start, filled - start), ++lineNo);
                    start = filled;
                    break;
                }
                lines.Parse(buf.AsSpan(start, nl), ++lineNo);
                start += nl + 1;
            }
            if (eof) break;
            // Keep the partial line; grow only when one line outgrows the buffer.
            int rest = filled - start;
            if (rest == buf.Length) Array.Resize(ref buf, buf.Length * 2);
            Buffer.BlockCopy(buf, start, buf, 0, rest);
            filled = rest;
            start = 0;
        }
        if (lineNo == 0) throw new InputException($"{path}:1: empty file; the first line must be '{Header}'");
        return b.Build();
    }

    private sealed class CsvLineParser(string path, TrajectoryBuilder builder)
    {
        private static readonly byte[] HeaderBytes = Encoding.UTF8.GetBytes(Header);
        private readonly byte[] lastItem = new byte[256];
        private int lastItemLength = -1;
        private readonly byte[] lastGroup = new byte[256];
        private int lastGroupLength = -1;
        private int lastItemIndex = -1;

        public void Parse(ReadOnlySpan<byte> line, long lineNo)
        {
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (lineNo == 1)
            {
                if (line.Length >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF) line = line[3..];
                if (!line.Trim((byte)' ').SequenceEqual(HeaderBytes))
                    throw new InputException($"{path}:1: header must be '{Header}'");
                return;
            }
            if (line.IsEmpty) return;
            Span<Range> f = stackalloc Range[6];
            int n = 0, from = 0;
            for (int i = 0; i <= line.Length && n < 6; i++)
                if (i == line.Length || line[i] == (byte)',') { f[n++] = new Range(from, i); from = i + 1; }
            if (n != 6 || from <= line.Length) throw Malformed(line, lineNo);
            if (!DepthNames.TryParse(line[f[3]], out var depth))
                throw new InputException($"{path}:{lineNo}: unknown depth '{Encoding.UTF8.GetString(line[f[3]])}' (use memorization, semantic or composition)");
            if (!int.TryParse(line[f[0]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                || !int.TryParse(line[f[4]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var probe)
                || !double.TryParse(line[f[5]], NumberStyles.Float, CultureInfo.InvariantCulture, out var lp)
                || line[f[1]].IsEmpty || line[f[2]].IsEmpty)
                throw Malformed(line, lineNo);
            builder.Add(lineNo, step, Item(line[f[1]], line[f[2]], lineNo), depth, probe, lp);
        }

        private InputException Malformed(ReadOnlySpan<byte> line, long lineNo) =>
            new($"{path}:{lineNo}: malformed row '{Encoding.UTF8.GetString(line)}' (expected {Header}: integer step, non-empty item and group, depth one of memorization|semantic|composition, integer probe, number logprob)");

        // Rows of one item come in runs (depths × probes), so comparing bytes with the last item skips most lookups.
        private int Item(ReadOnlySpan<byte> item, ReadOnlySpan<byte> group, long lineNo)
        {
            if (lastItemLength >= 0 && item.SequenceEqual(lastItem.AsSpan(0, lastItemLength))
                && group.SequenceEqual(lastGroup.AsSpan(0, lastGroupLength)))
                return lastItemIndex;
            lastItemIndex = builder.ItemIndex(Encoding.UTF8.GetString(item), Encoding.UTF8.GetString(group), lineNo);
            if (item.Length <= lastItem.Length && group.Length <= lastGroup.Length)
            {
                item.CopyTo(lastItem);
                group.CopyTo(lastGroup);
                lastItemLength = item.Length;
                lastGroupLength = group.Length;
            }
            else lastItemLength = -1;
            return lastItemIndex;
        }
    }
}

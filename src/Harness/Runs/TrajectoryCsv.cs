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
}

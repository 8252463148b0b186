using System.Globalization;
using System.Text;

namespace Harness.Training;

/// <summary>Wall milliseconds of one update: the update itself (batch and step), scoring the model it made, and writes after it.</summary>
public readonly record struct StepTime(double TrainMs, double ScoringMs, double IoMs);

/// <summary>
/// <c>training.csv</c>: the loss and learning rate of every update, pretraining included, and where its wall time went.
/// <c>io_ms</c> covers the checkpoint and file writes after the update; the file written by that very checkpoint
/// cannot know their length yet and holds the time as far as it was known (a resumed run keeps that row so).
/// The timing columns are the only ones that differ between two runs of the same scenario.
/// </summary>
public sealed class TrainingLog
{
    public const string Header = "phase,step,loss,lr,train_ms,scoring_ms,io_ms";
    private readonly List<(string Phase, int Step, double Loss, double Lr, StepTime Time)> rows = [];

    public IReadOnlyList<(string Phase, int Step, double Loss, double Lr, StepTime Time)> Rows => rows;

    public void Add(string phase, int step, double loss, double lr, StepTime time = default) => rows.Add((phase, step, loss, lr, time));

    /// <summary>Adds IO time to the last row (its writes happen after the row was logged).</summary>
    public void AddIo(double ms)
    {
        if (rows.Count == 0) return;
        var last = rows[^1];
        rows[^1] = last with { Time = last.Time with { IoMs = last.Time.IoMs + ms } };
    }

    public void Write(string path) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.Write(Header + "\n");
        foreach (var r in rows)
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{r.Phase},{r.Step},{r.Loss:R},{r.Lr:R},{r.Time.TrainMs:F3},{r.Time.ScoringMs:F3},{r.Time.IoMs:F3}\n"));
    });

    /// <summary>Rows before training step <paramref name="upToTrainStep"/>; also reads logs without the timing columns.</summary>
    public static TrainingLog Read(string path, int upToTrainStep) => Read(path, upToTrainStep, ["train"]);

    /// <summary>
    /// Rows of <paramref name="resumed"/> phases before update <paramref name="upTo"/>, and every row of the others: the
    /// log of a run (<c>train</c>) or a pretraining build (<c>pretrain</c>, <c>held-out</c>) as its checkpoint left it.
    /// </summary>
    public static TrainingLog Read(string path, int upTo, IReadOnlyCollection<string> resumed)
    {
        var log = new TrainingLog();
        if (!File.Exists(path)) return log;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length is not (4 or 7)) continue;
            int step = int.Parse(f[1], CultureInfo.InvariantCulture);
            if (resumed.Contains(f[0]) && step >= upTo) continue;
            double At(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            log.Add(f[0], step, At(2), At(3), f.Length == 7 ? new StepTime(At(4), At(5), At(6)) : default);
        }
        return log;
    }
}

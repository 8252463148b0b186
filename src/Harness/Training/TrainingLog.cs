using System.Globalization;
using System.Text;
using Harness.Runs;

namespace Harness.Training;

/// <summary><c>training.csv</c>: the loss and learning rate of every update, pretraining included.</summary>
public sealed class TrainingLog
{
    public const string Header = "phase,step,loss,lr";
    private readonly List<(string Phase, int Step, double Loss, double Lr)> rows = [];

    public IReadOnlyList<(string Phase, int Step, double Loss, double Lr)> Rows => rows;

    public void Add(string phase, int step, double loss, double lr) => rows.Add((phase, step, loss, lr));

    public void Write(string path) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.Write(Header + "\n");
        foreach (var r in rows)
            w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Phase},{r.Step},{r.Loss:R},{r.Lr:R}\n"));
    });

    public static TrainingLog Read(string path, int upToTrainStep)
    {
        var log = new TrainingLog();
        if (!File.Exists(path)) return log;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length != 4) continue;
            int step = int.Parse(f[1], CultureInfo.InvariantCulture);
            if (f[0] == "train" && step >= upToTrainStep) continue;
            log.Add(f[0], step, double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        }
        return log;
    }
}

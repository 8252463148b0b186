using System.Diagnostics;
using Harness.Runs;

namespace Harness.Training;

/// <summary>
/// A run's wall time split into training updates, probe scoring and IO, each timed with a Stopwatch where it happens;
/// whatever none of them covers (setup, model loading, progress display) is "other".
/// </summary>
public sealed class RunClock
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private double trainMs, scoringMs, ioMs;

    public TimeSpan Elapsed => wall.Elapsed;

    /// <summary>Runs <paramref name="work"/> as training; returns its milliseconds.</summary>
    public double Train(Action work) => Add(ref trainMs, work);

    public double Scoring(Action work) => Add(ref scoringMs, work);

    public double Io(Action work) => Add(ref ioMs, work);

    /// <summary>
    /// Wall seconds and their split at one instant. Each part is cut down to whole milliseconds, so the three measured
    /// parts never add up to more than the wall time the manifest shows; other is the remainder.
    /// </summary>
    public (double WallSeconds, ManifestTime Split) Snapshot()
    {
        double wallS = Math.Round(wall.Elapsed.TotalSeconds, 3);
        double train = Seconds(trainMs), scoring = Seconds(scoringMs), io = Seconds(ioMs);
        return (wallS, new ManifestTime(train, scoring, io, Math.Max(0, Math.Round(wallS - train - scoring - io, 3))));
    }

    private static double Seconds(double ms) => Math.Floor(ms) / 1000;

    private static double Add(ref double total, Action work)
    {
        long start = Stopwatch.GetTimestamp();
        double ms = 0;
        try
        {
            work();
        }
        finally
        {
            ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            total += ms;
        }
        return ms;
    }
}

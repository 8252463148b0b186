using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Cluster;

/// <summary>
/// A job or array task as Slurm reports it: id (<c>12</c>, <c>12_3</c>), state (PENDING, RUNNING, COMPLETED, FAILED,
/// TIMEOUT, CANCELLED, ...) and a detail: the pending or failure reason from squeue, the exit code from sacct.
/// </summary>
public sealed partial record SlurmJobState(string JobId, string State, string Detail)
{
    /// <summary>The squeue format that <see cref="FromSqueue"/> reads; <c>-r</c> lists array tasks one per line.</summary>
    public static readonly IReadOnlyList<string> SqueueArguments = ["--noheader", "--array", "--states=all", "--format=%i|%T|%r"];

    /// <summary>The sacct format that <see cref="FromSacct"/> reads: allocations only (no steps), parsable.</summary>
    public static readonly IReadOnlyList<string> SacctArguments = ["--noheader", "--parsable2", "--allocations", "--format=JobID,State,ExitCode"];

    /// <summary>States after which Slurm does nothing more with a job unless it is requeued.</summary>
    public static readonly IReadOnlySet<string> Ended = new HashSet<string>(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED",
    };

    public bool HasEnded => Ended.Contains(State);

    /// <summary>Lines <c>id|STATE|reason</c> from <see cref="SqueueArguments"/>; a collapsed range <c>12_[2-5%2]</c> stands for each of its tasks.</summary>
    public static IReadOnlyDictionary<string, SlurmJobState> FromSqueue(string output) => Parse(output, "squeue");

    /// <summary>Lines <c>id|STATE|exit</c> from <see cref="SacctArguments"/>; <c>CANCELLED by 0</c> is CANCELLED, step lines (<c>12_0.batch</c>) are skipped.</summary>
    public static IReadOnlyDictionary<string, SlurmJobState> FromSacct(string output) => Parse(output, "sacct");

    static Dictionary<string, SlurmJobState> Parse(string output, string source)
    {
        var states = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in output.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length < 3 || f[0].Length == 0)
                throw new InputException($"{source} output line {number} is not id|state|detail: '{line}'");
            if (f[0].Contains('.')) continue; // a job step, not the job
            var state = f[1].Split(' ')[0];
            foreach (var id in Ids(f[0]))
                states[id] = new SlurmJobState(id, state, f[2]);
        }
        return states;
    }

    [GeneratedRegex(@"^(?<job>\d+)_\[(?<tasks>[0-9,\-]+)(?:%\d+)?\]$")]
    private static partial Regex Range();

    /// <summary><c>12_[0-2,5]</c> is 12_0, 12_1, 12_2 and 12_5; anything else is itself.</summary>
    static IEnumerable<string> Ids(string id)
    {
        var m = Range().Match(id);
        if (!m.Success)
        {
            yield return id;
            yield break;
        }
        foreach (var part in m.Groups["tasks"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            int from = int.Parse(bounds[0], CultureInfo.InvariantCulture), to = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            for (var t = from; t <= to; t++) yield return $"{m.Groups["job"].Value}_{t}";
        }
    }
}

using System.ComponentModel;
using System.Text.Json;
using Harness.Cluster;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness status &lt;root&gt;</c>: for each cell of the last <c>harness submit</c> from that root, its array task,
/// the task's state (squeue while Slurm remembers the job, then sacct where accounting is kept), the last update its
/// run logged, and its log file.
/// </summary>
internal sealed class StatusCommand : Command<StatusCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<root>")]
        [Description("The output root given to harness submit --out")]
        public string Root { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table")]
        public bool Json { get; init; }
    }

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var root = Path.GetFullPath(settings.Root);
        if (!Directory.Exists(root)) throw new InputException($"{root}: no such folder; give the --out folder of harness submit");
        if (SubmittedJobs.Read(root) is not [.., var last])
        {
            if (settings.Json) Console.Out.WriteLine(JsonSerializer.Serialize(new { root, cells = Array.Empty<object>() }, JsonOptions));
            else Console.Out.WriteLine($"{root}: no jobs were submitted from here (no {SubmittedJobs.PathOf(root)}); harness submit <scenario> --out {root} submits its cells");
            return 0;
        }

        var notes = new List<string>();
        var jobs = new[] { last.ArrayJob, last.CheckJob }.Where(id => id.Length > 0).ToList();
        var states = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var (program, arguments, parse) in new (string, IReadOnlyList<string>, Func<string, IReadOnlyDictionary<string, SlurmJobState>>)[]
                 {
                     ("squeue", SlurmJobState.SqueueArguments, SlurmJobState.FromSqueue),
                     ("sacct", SlurmJobState.SacctArguments, SlurmJobState.FromSacct),
                 })
        {
            if (!SlurmProgram.IsInstalled(program))
            {
                notes.Add($"{program} not found on PATH");
                continue;
            }
            var output = SlurmProgram.Run(program, [.. arguments, $"--jobs={string.Join(",", jobs)}"]);
            if (output.ExitCode != 0) notes.Add($"{program}: {output.FirstLine}");
            else foreach (var (id, state) in parse(output.Out)) states.TryAdd(id, state); // squeue first: it is live
        }
        var cells = CellStatus.Of(root, last, states);
        var check = last.CheckJob.Length > 0 ? states.GetValueOrDefault(last.CheckJob) : null;

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                root, array_job = last.ArrayJob, check_job = last.CheckJob, check_state = check?.State,
                check_log = last.CheckJob.Length > 0 ? ArrayJob.CheckLogOf(root, last.CheckJob) : null,
                cells = cells.Select(c => new
                {
                    c.Cell.Index, c.Cell.Name, Task = c.TaskId, State = c.Slurm?.State, Detail = c.Slurm?.Detail, Run = c.Run.Status,
                    c.Run.LastUpdate, c.Run.Steps, c.Run.Loss, c.Log, c.Cell.Directory,
                }),
                notes,
            }, JsonOptions));
            return 0;
        }
        AnsiConsole.WriteLine($"{root}: array job {last.ArrayJob} of {last.Scenario}, submitted {last.Submitted:yyyy-MM-dd HH:mm}");
        var table = new Table().AddColumns("cell", "task", "Slurm", "run", "last logged update", "log (in the root)");
        foreach (var c in cells)
            table.AddRow(new Text(c.Cell.Name), new Text(c.TaskId), new Text(c.SlurmState), new Text(c.Run.Status), new Text(c.Run.Describe()),
                new Text(Path.GetRelativePath(root, c.Log)));
        AnsiConsole.Write(table);
        if (last.CheckJob.Length > 0)
            AnsiConsole.WriteLine($"check job {last.CheckJob}: {check?.State ?? "unknown to Slurm"}; log {ArrayJob.CheckLogOf(root, last.CheckJob)}"
                + (File.Exists(ArrayJob.VerdictsOf(root)) ? $"; verdicts {ArrayJob.VerdictsOf(root)}" : ""));
        foreach (var note in notes) AnsiConsole.WriteLine($"note: {note}");
        return 0;
    }
}

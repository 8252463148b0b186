using System.Globalization;
using Harness.Cli;
using Harness.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

// Numbers in files and on screen read the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Output that goes to a file, a pipe, grep or an editor's problem matcher keeps one line per message and tables at their
// natural width: Spectre would otherwise wrap everything at 80 columns whenever it cannot ask a terminal for its width.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = int.MaxValue;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("harness");
    config.PropagateExceptions();
    CommandRegistry.Register(config);
});

try
{
    return app.Run(args);
}
catch (Harness.InputException e)
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return 2;
}
catch (Harness.RunStoppedException e)
{
    AnsiConsole.MarkupLine($"[red]run stopped:[/] {Markup.Escape(e.Message)}");
    return 3;
}
catch (Exception e) when (TrainingEngine.IsMissing(e))
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(TrainingEngine.Missing(e))}");
    return 2;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // The file system refused (a read-only mount, no permission, a file where a folder belongs, a full disk): the
    // user's to fix, and the message names the path.
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)} fix: check that the path is a folder (or file) you can write, on a writable file system");
    return 2;
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[red]interrupted[/]");
    return 130;
}
catch (Exception e) when (e is not CommandParseException and not CommandRuntimeException)
{
    // A defect of the harness, not of the input: one line on screen, the details in a file to attach to a bug report.
    var log = Path.Combine(Path.GetTempPath(), $"harness-error-{Environment.ProcessId}.log");
    File.WriteAllText(log, e.ToString());
    AnsiConsole.MarkupLine($"[red]internal error:[/] {Markup.Escape(e.Message)} (details: {Markup.Escape(log)})");
    return 1;
}
catch (CommandParseException e)
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return 2;
}
catch (CommandRuntimeException e)
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
    return 2;
}

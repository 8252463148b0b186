using System.Globalization;
using Harness.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

// Numbers in files and on screen read the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

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

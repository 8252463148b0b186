using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>Every <c>harness</c> verb, one line each; each command lives in its own file.</summary>
internal static class CommandRegistry
{
    public static void Register(IConfigurator config)
    {
        config.AddCommand<TokenizeCommand>("tokenize").WithDescription("Print the token ids of each line (a JSON string) of a file.");
    }
}

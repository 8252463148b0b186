using System.ComponentModel;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary>The option every verb that reads finished runs shares: analyze, report and check.</summary>
internal class RunReadingSettings : CommandSettings
{
    [CommandOption("--partial")]
    [Description("Accept runs that did not complete; every table and figure then says partial")]
    public bool Partial { get; init; }
}

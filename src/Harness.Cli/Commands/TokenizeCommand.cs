using System.ComponentModel;
using System.Text.Json;
using Harness;
using Harness.Data;
using Harness.Data.Tokenizers;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness tokenize --tokenizer SPEC FILE</c>: one JSON array of ids per input line (each line a JSON string).</summary>
internal sealed class TokenizeCommand : Command<TokenizeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--tokenizer <SPEC>")]
        [Description("builtin:gpt2 or a Hugging Face tokenizer.json path")]
        public string Tokenizer { get; init; } = BuiltinNames.Gpt2;

        [CommandArgument(0, "<text-file>")]
        [Description("a file whose every line is a JSON string")]
        public string TextFile { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var tokenizer = TokenizerSource.Resolve(settings.Tokenizer, Directory.GetCurrentDirectory());
        if (!File.Exists(settings.TextFile))
            throw new InputException($"{settings.TextFile}: file not found; give a file whose every line is a JSON string.");
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        int lineNumber = 0;
        foreach (var line in File.ReadLines(settings.TextFile))
        {
            lineNumber++;
            output.WriteLine(JsonSerializer.Serialize(tokenizer.Encode(ParseLine(settings.TextFile, lineNumber, line))));
        }
        return 0;
    }

    private static string ParseLine(string file, int lineNumber, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind == JsonValueKind.String) return doc.RootElement.GetString()!;
        }
        catch (JsonException)
        {
        }
        throw new InputException($"{file}:{lineNumber}: each line must be one JSON string, like \"Hello world\"; write the text JSON-encoded.");
    }
}

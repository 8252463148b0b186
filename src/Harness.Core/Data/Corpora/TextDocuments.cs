using System.Text;
using System.Text.Json;

namespace Harness.Data.Corpora;

/// <summary>Reads the documents of text corpus files lazily, line by line, so a file of any size streams.</summary>
public static class TextDocuments
{
    /// <summary>
    /// <c>.jsonl</c>: one JSON object per line, the document in its <c>text</c> field (as Dolma and most corpora ship).
    /// Blank lines are skipped. A bad line is an <see cref="InputException"/> naming the file and line when it is reached.
    /// </summary>
    public static IEnumerable<string> JsonLines(string path)
    {
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return JsonLineText(path, lineNumber, line);
        }
    }

    private static string JsonLineText(string path, int lineNumber, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                return JsonText.Read(text) ?? throw new InputException($"{path}:{lineNumber}: the \"text\" field {JsonText.LoneSurrogate}; fix the line or drop it.");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:{lineNumber}: not valid JSON ({e.Message}); each line must be an object like {{\"text\": \"...\"}}.", e);
        }
        throw new InputException($"{path}:{lineNumber}: no string \"text\" field; each line must be an object like {{\"text\": \"...\"}}.");
    }

    /// <summary>
    /// <c>.txt</c>: documents separated by one or more blank (or whitespace-only) lines; a document's lines are joined with
    /// "\n". A file without blank lines is one document.
    /// </summary>
    public static IEnumerable<string> Paragraphs(string path)
    {
        var current = new StringBuilder();
        bool any = false;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (any) yield return current.ToString();
                current.Clear();
                any = false;
                continue;
            }
            if (any) current.Append('\n');
            current.Append(line);
            any = true;
        }
        if (any) yield return current.ToString();
    }
}

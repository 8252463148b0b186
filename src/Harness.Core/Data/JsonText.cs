using System.Text.Json;

namespace Harness.Data;

/// <summary>
/// A JSON string read as text. JSON may escape half of a UTF-16 surrogate pair (<c>"\ud800"</c>), which is no text at
/// all: System.Text.Json refuses to decode it, and each reader reports it as the input mistake it is.
/// </summary>
public static class JsonText
{
    public const string LoneSurrogate = "holds a lone UTF-16 surrogate escape (such as \\ud800 without its pair), which is not text";

    /// <summary>The string, or null when it holds a lone surrogate.</summary>
    public static string? Read(JsonElement e)
    {
        try { return e.GetString(); }
        catch (InvalidOperationException) when (e.ValueKind == JsonValueKind.String) { return null; }
    }
}

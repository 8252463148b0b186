namespace Harness.Cluster;

/// <summary>Text as one bash word: single quotes, each inner quote written as <c>'\''</c>; cell names carry brackets, commas and =.</summary>
public static class ShellWord
{
    public static string Quote(string text) => "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Analysis;
using Harness.Runs;

namespace Harness.Reporting;

/// <summary>
/// <c>metrics.json</c>: snake_case names, nulls written (an undefined value is null, not zero, not missing), doubles in
/// shortest round-trip form, so the same run always gives the same bytes.
/// </summary>
public static class MetricsJson
{
    public const string FileName = RunPaths.MetricsFile;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(RunMetrics metrics) => JsonSerializer.Serialize(metrics, Options).ReplaceLineEndings("\n") + "\n";

    public static void Write(string path, RunMetrics metrics) =>
        AtomicFile.Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(Serialize(metrics))));
}

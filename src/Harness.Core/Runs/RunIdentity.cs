using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Data;
using Harness.Scenarios;

namespace Harness.Runs;

/// <summary>
/// What makes two runs the same experiment: the resolved scenario without where it was read from (<c>source_path</c>),
/// how it runs (<c>runtime</c>), what a cluster gives it (<c>cluster</c>: a requeued cell may ask for more time or
/// memory and still resume) and what is asserted about it (<c>expect</c>), with input files named by file name only,
/// so a run made on a cluster is recognised in another checkout. Input contents are compared by
/// <see cref="InputFingerprint"/> on resume.
/// </summary>
public static class RunIdentity
{
    private static readonly string[] NotPartOfIdentity = ["source_path", "runtime", "cluster", "expect"];
    private static readonly string[][] InputPaths = [["model", "checkpoint"], ["tokenizer"], ["data", "corpus"], ["knowledge", "source"]];

    public static JsonNode ScenarioNode(Scenario s) => JsonSerializer.SerializeToNode(s, RunManifest.Json)!;

    public static JsonObject Of(JsonNode resolvedScenario)
    {
        var copy = resolvedScenario.DeepClone().AsObject();
        foreach (var key in NotPartOfIdentity) copy.Remove(key);
        foreach (var path in InputPaths)
        {
            JsonObject? parent = copy;
            for (int i = 0; i < path.Length - 1 && parent is not null; i++) parent = parent[path[i]] as JsonObject;
            if (parent?[path[^1]] is JsonValue v && v.TryGetValue<string>(out var spec) && !BuiltinNames.IsBuiltin(spec) && spec != BuiltinNames.Scratch)
                parent[path[^1]] = Path.GetFileName(spec.TrimEnd('/', '\\').Split('?')[0]);
        }
        return copy;
    }

    public static string Hash(JsonNode resolvedScenario) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Of(resolvedScenario).ToJsonString()))).ToLowerInvariant()[..16];

    public static string Hash(Scenario s) => Hash(ScenarioNode(s));

    /// <summary>Refuses a run directory whose run is not of <paramref name="s"/> (another scenario, or this one edited since).</summary>
    public static void Require(RunManifest run, Scenario s, string dir)
    {
        if (run.ResolvedScenario is null)
            throw new InputException($"{dir}: the manifest does not say which scenario the run is of (no resolved_scenario)");
        if (Changes(run.ScenarioHash, run.ResolvedScenario, ScenarioNode(s)) is { } changes)
            throw new InputException($"{dir}: the run there is not of {s.Name} as the scenario now reads ({string.Join("; ", changes)}); "
                                     + "check it against the scenario it was run with, or run this one");
    }

    /// <summary>
    /// Null when <paramref name="scenario"/> is the experiment recorded (by its hash, or the recorded scenario's when an
    /// older record lacks one); otherwise the settings that differ.
    /// </summary>
    public static IReadOnlyList<string>? Changes(string? recordedHash, JsonNode recorded, JsonNode scenario) =>
        (recordedHash ?? Hash(recorded)) == Hash(scenario) ? null : Differences(recorded, scenario);

    /// <summary>The settings that differ between a run's scenario and another, as <c>key: run value → other value</c>.</summary>
    public static IReadOnlyList<string> Differences(JsonNode run, JsonNode other, int most = 8)
    {
        var found = new List<string>();
        Compare(Of(run), Of(other), "", found);
        return found.Count <= most ? found : [.. found.Take(most), $"… and {found.Count - most} more"];
    }

    private static void Compare(JsonNode? a, JsonNode? b, string path, List<string> found)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
                Compare(oa[key], ob[key], path.Length == 0 ? key : $"{path}.{key}", found);
        }
        else if (!JsonNode.DeepEquals(a, b))
            found.Add($"{path}: {Show(a)} → {Show(b)}");
    }

    private static string Show(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "(absent)";
        return s.Length <= 80 ? s : s[..77] + "…";
    }
}

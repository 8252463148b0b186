using System.Text.Json.Nodes;

namespace Harness.Scenarios;

/// <summary>
/// The plan in the manifest's shape: <c>{"injections":[{"step","item","group","variant"}],"eval_steps":[...]}</c>.
/// </summary>
public static class RunPlanJson
{
    public static JsonObject Of(RunPlan plan) => new()
    {
        ["injections"] = new JsonArray(plan.Injections.Select(i => (JsonNode?)new JsonObject
        {
            ["step"] = i.Step, ["item"] = i.Item, ["group"] = i.Group, ["variant"] = i.Variant,
        }).ToArray()),
        ["eval_steps"] = new JsonArray(plan.EvalSteps.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
    };

    /// <summary>One object for a file without a matrix; an array of objects, one per cell in cell order, for a matrix.</summary>
    public static string Write(IReadOnlyList<RunPlan> plans, bool matrix) =>
        matrix ? new JsonArray(plans.Select(p => (JsonNode?)Of(p)).ToArray()).ToJsonString() : Of(plans[0]).ToJsonString();

    /// <summary>Sorted steps as runs: <c>0..50, 100, 101, 200..250</c>.</summary>
    public static string Ranges(IReadOnlyList<int> steps) => StepSet.Of(steps).ToString();
}

using System.Text.Json.Nodes;

namespace Harness.Scenarios;

/// <summary>
/// <c>harness plan --json</c>: per scenario (matrix cell) its name and cell, the batch shape, every injection with its
/// row and encounter number (<c>{"step","row","item","group","variant","encounter"}</c>, as the manifest's injections
/// plus row and encounter), the longest injected passage in tokens (null when measured only at run), and the evaluation steps as runs (<c>{"from","to","every"}</c>, inclusive, with their count),
/// so that the output grows with the injections, not with <c>training.steps</c>.
/// </summary>
public static class RunPlanJson
{
    public static JsonObject Of(Scenario s, RunPlan plan, PassageLength? longest = null) => new()
    {
        ["name"] = s.Name,
        ["cell"] = new JsonObject(s.Cell.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)JsonValue.Create(c.Value)))),
        ["steps"] = plan.Steps,
        ["batch_size"] = plan.BatchSize,
        ["sequence_length"] = plan.SequenceLength,
        ["injections"] = new JsonArray(plan.Injections.Select(i => (JsonNode?)new JsonObject
        {
            ["step"] = i.Step, ["row"] = i.Row, ["item"] = i.Item, ["group"] = i.Group, ["variant"] = i.Variant, ["encounter"] = i.Encounter,
        }).ToArray()),
        ["longest_passage"] = longest is null ? null : new JsonObject { ["item"] = longest.Item, ["variant"] = longest.Variant, ["tokens"] = longest.Tokens },
        ["eval_count"] = plan.EvalSteps.Count,
        ["eval_steps"] = new JsonArray(plan.EvalSteps.Runs.Select(r => (JsonNode?)new JsonObject
        {
            ["from"] = r.From, ["to"] = r.To, ["every"] = r.Every,
        }).ToArray()),
    };

    /// <summary>One object for a file without a matrix; an array of objects, one per cell in cell order, for a matrix.</summary>
    public static string Write(IReadOnlyList<(Scenario Scenario, RunPlan Plan, PassageLength? Longest)> plans, bool matrix) =>
        matrix ? new JsonArray(plans.Select(p => (JsonNode?)Of(p.Scenario, p.Plan, p.Longest)).ToArray()).ToJsonString()
            : Of(plans[0].Scenario, plans[0].Plan, plans[0].Longest).ToJsonString();

    /// <summary>Sorted steps as runs: <c>0..50, 100, 101, 200..250</c>.</summary>
    public static string Ranges(IReadOnlyList<int> steps) => StepSet.Of(steps).ToString();
}

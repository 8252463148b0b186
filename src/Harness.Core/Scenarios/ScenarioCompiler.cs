using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>
/// Scenario → RunPlan, deterministic. Item j of a group meets encounter k at At[k] + j·Stagger. Rows of one step go
/// 0, 1, 2, … in (group, item) order; past <c>max_rows_per_step</c> (0: the batch size) the rest spills, in order, to
/// the next steps.
/// </summary>
public static class ScenarioCompiler
{
    /// <summary>One encounter before rows are assigned: where it was declared to land.</summary>
    public sealed record Encounter(int NominalStep, int GroupIndex, int ItemPosition, int ItemIndex, string Group, int Variant, int Number);

    public static RunPlan Compile(Scenario s, KnowledgeShape shape)
    {
        var encounters = Encounters(s, shape)
            .OrderBy(e => e.NominalStep).ThenBy(e => e.GroupIndex).ThenBy(e => e.ItemPosition).ThenBy(e => e.Number).ToList();
        var cap = RowsPerStep(s);
        var injections = new List<PlannedInjection>(encounters.Count);
        var pending = new Queue<Encounter>();
        var next = 0;
        var step = 0;
        while (next < encounters.Count || pending.Count > 0)
        {
            step = pending.Count > 0 ? step + 1 : encounters[next].NominalStep;
            while (next < encounters.Count && encounters[next].NominalStep == step) pending.Enqueue(encounters[next++]);
            for (var row = 0; row < cap && pending.Count > 0; row++)
            {
                var e = pending.Dequeue();
                injections.Add(new PlannedInjection(step, row, e.ItemIndex, KnowledgeItem.IdFor(e.ItemIndex), e.Group, e.Variant, e.Number));
            }
        }
        var items = s.Injection.Groups.SelectMany(g => g.Items.Select(i => new ProbedItem(i, KnowledgeItem.IdFor(i), g.Name, g.Control))).ToList();
        return new RunPlan(s.Training.Steps, s.Data.BatchSize, s.Data.SequenceLength, injections, EvalSchedule.Steps(s, injections), items);
    }

    public static int RowsPerStep(Scenario s) => s.Injection.MaxRowsPerStep > 0 ? s.Injection.MaxRowsPerStep : s.Data.BatchSize;

    /// <summary>Every encounter of every injected item with its text variant, before rows and spill-over.</summary>
    public static IEnumerable<Encounter> Encounters(Scenario s, KnowledgeShape shape)
    {
        var groups = s.Injection.Groups;
        for (var g = 0; g < groups.Count; g++)
        {
            if (groups[g].Control) continue;
            for (var j = 0; j < groups[g].Items.Count; j++)
                for (var k = 0; k < groups[g].At.Count; k++)
                {
                    var item = groups[g].Items[j];
                    var variant = Variant(groups[g], k);
                    if (variant > shape.Paraphrases(item))
                        throw new InputException($"{s.SourcePath}: group '{groups[g].Name}' needs paraphrase {variant} of item {item}, which has {shape.Paraphrases(item)}. fix: use text: original or items with enough paraphrases");
                    yield return new Encounter(groups[g].At[k] + j * s.Injection.Stagger, g, j, item, groups[g].Name, variant, k);
                }
        }
    }

    /// <summary>original: 0; paraphrase: encounter k uses variant k (0 = the original passage); explicit: Variants[k].</summary>
    public static int Variant(InjectionGroup g, int encounter) => g.Text switch
    {
        "paraphrase" => encounter,
        "explicit" => encounter < g.Variants.Count ? g.Variants[encounter]
            : throw new InputException($"group '{g.Name}': text: explicit lists {g.Variants.Count} variants for {g.At.Count} encounters. fix: give one variant per encounter"),
        _ => 0,
    };
}

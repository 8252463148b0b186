using Harness.Data;
using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>Scenarios of one file with the knowledge shape each was checked against, and what was deferred until run.</summary>
public sealed record LoadedScenarios(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<KnowledgeShape> Shapes, IReadOnlyList<string> Notes);

/// <summary>
/// The entry point from a scenario file to checked, fully resolved scenarios: one per matrix cell (first axis
/// outermost), each named <c>name[axis=label,...]</c>. Every mistake is a <see cref="ScenarioException"/>.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>For running: every path must resolve, including <c>${VAR}</c> ones.</summary>
    public static IReadOnlyList<Scenario> Load(string path) => Read(path, deferUnsetVariables: false).Scenarios;

    /// <summary>
    /// For validate and plan: a path naming an unset <c>${VAR}</c> is kept as written and reported in
    /// <see cref="LoadedScenarios.Notes"/> (checked at run); everything else is checked.
    /// </summary>
    public static LoadedScenarios Read(string path, bool deferUnsetVariables)
    {
        var paths = new PathSetting(deferUnsetVariables);
        var scenarios = new List<Scenario>();
        var shapes = new List<KnowledgeShape>();
        var knowledgeFiles = new Dictionary<string, KnowledgeShape>();
        foreach (var cell in ScenarioComposer.Compose(path))
        {
            var reader = new ScenarioReader(paths);
            var s = reader.Read(cell, path);
            var shape = !reader.KnowledgeChecked ? KnowledgeShape.Unchecked
                : BuiltinNames.IsBuiltin(s.Knowledge.Source) ? KnowledgeShape.Of(s.Knowledge)
                : knowledgeFiles.TryGetValue(s.Knowledge.Source, out var known) ? known
                : knowledgeFiles[s.Knowledge.Source] = KnowledgeFile(s, reader);
            ScenarioValidator.Validate(s, reader.Marks, shape);
            scenarios.Add(s);
            shapes.Add(shape);
        }
        Expectations.Validate(scenarios);
        return new LoadedScenarios(scenarios, shapes, paths.Notes.Distinct().ToList());
    }

    static KnowledgeShape KnowledgeFile(Scenario s, ScenarioReader reader)
    {
        try { return KnowledgeShape.Of(s.Knowledge); }
        catch (KnowledgeFileException e)
        {
            throw new ScenarioException(reader.Marks["knowledge.source"], $"knowledge file unreadable ({e.Problem})", "point knowledge.source at the paper's fictional_knowledge*.json");
        }
    }
}

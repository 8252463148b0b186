using Harness.Data;
using Harness.Data.Knowledge;

namespace Harness.Scenarios;

/// <summary>A scenario's <c>knowledge</c> as the items themselves: generated (the built-in set) or read (the paper's file).</summary>
public static class KnowledgeSource
{
    /// <param name="baseDir">What a relative path is relative to (the scenario file's folder).</param>
    public static KnowledgeSet Load(KnowledgeSpec spec, int seed, string baseDir) => spec.Source switch
    {
        BuiltinNames.FictionalKnowledge => FictionalKnowledge.Generate(spec.Items, seed),
        var x when BuiltinNames.IsBuiltin(x) =>
            throw new InputException($"knowledge.source '{x}' is unknown; use {BuiltinNames.FictionalKnowledge} or a fictional_knowledge*.json path"),
        var path => PaperKnowledgeFile.Load(Path.GetFullPath(path, baseDir)),
    };
}

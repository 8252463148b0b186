using Harness.Data;
using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data.World;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The one place where a scenario's names (<c>builtin:…</c>, <c>scratch</c>, paths relative to the scenario file) become
/// objects: knowledge set, plan, tokenizer, background stream and model.
/// </summary>
public static class RunInputsResolver
{
    public static RunInputs Resolve(Scenario s, IProgress<string>? log = null, IProgress<RunProgress>? pretraining = null)
    {
        var baseDir = BaseDirectory(s);
        var knowledge = LoadKnowledge(s.Knowledge, s.Seed, baseDir);
        var shape = KnowledgeShape.Of(knowledge);
        var plan = ScenarioCompiler.Compile(s, shape);
        var tokenizer = TokenizerSource.Resolve(s.Tokenizer, baseDir);
        var checkpoint = ModelSource.Locate(s, baseDir, log, pretraining);
        return new RunInputs(s, plan, knowledge, tokenizer,
            () => CorpusSource.Open(s.Data.Corpus, baseDir, tokenizer),
            device => ModelSource.Create(s, checkpoint, tokenizer, device), checkpoint, Fingerprints(s, baseDir, checkpoint));
    }

    /// <summary>What the run reads, fingerprinted, so a resume can refuse inputs that changed under it.</summary>
    public static IReadOnlyList<ManifestInput> Fingerprints(Scenario s, string baseDir, ModelOrigin checkpoint)
    {
        string File(string spec, string path) => BuiltinNames.IsBuiltin(spec) ? InputFingerprint.OfBuiltin(spec, WorldText.Version) : InputFingerprint.Of(path);
        var inputs = new List<ManifestInput>();
        if (checkpoint.Folder is { } folder) inputs.Add(new("checkpoint", s.Model.Checkpoint, InputFingerprint.Of(folder)));
        inputs.Add(new("tokenizer", s.Tokenizer, File(s.Tokenizer, Path.GetFullPath(s.Tokenizer, baseDir))));
        inputs.Add(new("corpus", s.Data.Corpus, File(s.Data.Corpus, BuiltinNames.IsBuiltin(s.Data.Corpus) ? "" : CorpusSource.FileOf(s.Data.Corpus, baseDir))));
        inputs.Add(new("knowledge", s.Knowledge.Source, File(s.Knowledge.Source, Path.GetFullPath(s.Knowledge.Source, baseDir))));
        return inputs;
    }

    public static string BaseDirectory(Scenario s) =>
        string.IsNullOrEmpty(s.SourcePath) ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(s.SourcePath))!;

    public static KnowledgeSet LoadKnowledge(KnowledgeSpec spec, int seed, string baseDir) => spec.Source switch
    {
        BuiltinNames.FictionalKnowledge => FictionalKnowledge.Generate(spec.Items, seed),
        var x when BuiltinNames.IsBuiltin(x) =>
            throw new InputException($"knowledge.source '{x}' is unknown; use {BuiltinNames.FictionalKnowledge} or a fictional_knowledge*.json path"),
        var path => PaperKnowledgeFile.Load(Path.GetFullPath(path, baseDir)),
    };
}

using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Data;
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
        var knowledge = KnowledgeSource.Load(s.Knowledge, s.Seed, baseDir);
        var shape = KnowledgeShape.Of(knowledge);
        var plan = ScenarioCompiler.Compile(s, shape);
        var tokenizer = TokenizerSource.Resolve(s.Tokenizer, baseDir);
        var checkpoint = ModelSource.Locate(s, baseDir, log, pretraining);
        return new RunInputs(s, plan, knowledge, tokenizer,
            () => CorpusSource.Open(s.Data.Corpus, baseDir, tokenizer),
            device => ModelSource.Create(s, checkpoint, tokenizer, device), checkpoint);
    }

    public static string BaseDirectory(Scenario s) =>
        string.IsNullOrEmpty(s.SourcePath) ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(s.SourcePath))!;
}

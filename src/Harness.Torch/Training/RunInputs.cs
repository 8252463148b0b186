using Harness.Data.Corpora;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;
using Harness.Model;
using Harness.Runs;
using Harness.Scenarios;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>Everything a run needs, resolved from a scenario: the plan, the knowledge, the tokenizer, the data, the model.</summary>
public sealed record RunInputs(
    Scenario Scenario,
    RunPlan Plan,
    KnowledgeSet Knowledge,
    ITextTokenizer Tokenizer,
    Func<ITokenStream> OpenBackground,
    Func<Device, CausalLM> CreateModel,
    ModelOrigin Origin,
    IReadOnlyList<ManifestInput> Fingerprints);

/// <summary>Where the model came from: nothing (scratch) or a checkpoint folder, with the harness's metadata if it made it.</summary>
public sealed record ModelOrigin(string? Folder, CheckpointMetadata? Metadata)
{
    public static readonly ModelOrigin Scratch = new(null, null);
}

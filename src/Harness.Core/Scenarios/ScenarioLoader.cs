using Harness.Data;
using Harness.Data.Knowledge;
using Harness.Data.Tokenizers;

namespace Harness.Scenarios;

/// <summary>
/// Scenarios of one file with the knowledge shape each was checked against, what was deferred until run (notes), what
/// the scenario let degrade (warnings, <c>knowledge.on_degraded: warn</c>) and each scenario's longest injected passage
/// (null where the tokenizer or the knowledge is deferred).
/// </summary>
public sealed record LoadedScenarios(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<KnowledgeShape> Shapes, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<PassageLength?> LongestPassages { get; init; } = [];
}

/// <summary>
/// The entry point from a scenario file to checked, fully resolved scenarios: one per matrix cell (first axis
/// outermost), each named <c>name[axis=label,...]</c>. Every mistake is a <see cref="ScenarioException"/>.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>For running: every path must resolve, including <c>${VAR}</c> ones; <paramref name="use"/> says what for.</summary>
    public static IReadOnlyList<Scenario> Load(string path, IReadOnlyList<string>? overrides = null, ScenarioUse use = ScenarioUse.Any) =>
        Read(path, deferUnsetVariables: false, overrides, use).Scenarios;

    /// <summary>
    /// For validate and plan: a path naming an unset <c>${VAR}</c> is kept as written and reported in
    /// <see cref="LoadedScenarios.Notes"/> (checked at run); everything else is checked.
    /// </summary>
    /// <param name="overrides"><c>--set key.path=value</c> settings, applied to every cell (see <see cref="ScenarioComposer.Compose"/>).</param>
    /// <param name="use">What the file is loaded for (<see cref="ScenarioUse"/>): checked once every cell is well-formed.</param>
    public static LoadedScenarios Read(string path, bool deferUnsetVariables, IReadOnlyList<string>? overrides = null, ScenarioUse use = ScenarioUse.Any)
    {
        var paths = new PathSetting(deferUnsetVariables);
        var scenarios = new List<Scenario>();
        var shapes = new List<KnowledgeShape>();
        var warnings = new List<string>();
        var longest = new List<PassageLength?>();
        var knowledgeFiles = new Dictionary<string, KnowledgeSet>();
        var tokenizers = new Dictionary<string, (ITextTokenizer Tokenizer, Func<string, IReadOnlyList<int>> Encode)>();
        var marks = new List<IReadOnlyDictionary<string, Yaml.SourceMark>>();
        foreach (var cell in ScenarioComposer.Compose(path, overrides))
        {
            var reader = new ScenarioReader(paths);
            var s = reader.Read(cell, path);
            KnowledgeSet? knowledge = null;
            var shape = !reader.KnowledgeChecked ? KnowledgeShape.Unchecked
                : BuiltinNames.IsBuiltin(s.Knowledge.Source) ? KnowledgeShape.Of(s.Knowledge)
                : KnowledgeShape.Of(knowledge = knowledgeFiles.TryGetValue(s.Knowledge.Source, out var known) ? known
                    : knowledgeFiles[s.Knowledge.Source] = KnowledgeFile(s, reader));
            ScenarioValidator.Validate(s, reader.Marks, shape, cell.Files);
            PassageLength? passage = null;
            if (reader.KnowledgeChecked && reader.TokenizerChecked)
            {
                knowledge ??= KnowledgeSource.Load(s.Knowledge, s.Seed, Path.GetDirectoryName(s.SourcePath)!);
                if (!tokenizers.TryGetValue(s.Tokenizer, out var tokenizer))
                    tokenizers[s.Tokenizer] = tokenizer = Memoized(Tokenizer(s, reader));
                var report = KnowledgeTokens.Measure(s, knowledge, tokenizer.Tokenizer, tokenizer.Encode);
                warnings.AddRange(ScenarioValidator.Degradations(s, reader.Marks, report.Degradations, cell.Files));
                passage = report.Longest;
            }
            else paths.Notes.Add($"{cell.Files[0]}: the knowledge is checked against the tokenizer at run, when every path is known");
            scenarios.Add(s);
            shapes.Add(shape);
            longest.Add(passage);
            marks.Add(reader.Marks);
        }
        Expectations.Validate(scenarios);
        // Every cell well-formed first: a mistake in a later cell is reported before what an earlier one is fit for.
        for (var i = 0; i < scenarios.Count; i++) ScenarioValidator.ValidateUse(scenarios[i], marks[i], use);
        return new LoadedScenarios(scenarios, shapes, paths.Notes.Distinct().ToList()) { Warnings = warnings.Distinct().ToList(), LongestPassages = longest };
    }

    static KnowledgeSet KnowledgeFile(Scenario s, ScenarioReader reader)
    {
        try { return PaperKnowledgeFile.Load(s.Knowledge.Source); }
        catch (KnowledgeFileException e)
        {
            throw new ScenarioException(reader.Marks["knowledge.source"], $"knowledge file unreadable ({e.Problem})", "point knowledge.source at the paper's fictional_knowledge*.json");
        }
    }

    static ITextTokenizer Tokenizer(Scenario s, ScenarioReader reader)
    {
        try { return TokenizerSource.Resolve(s.Tokenizer, Path.GetDirectoryName(s.SourcePath)!); }
        catch (InputException e) when (reader.Marks.TryGetValue("tokenizer", out var at))
        {
            throw new ScenarioException(at, $"tokenizer unreadable ({e.Message.TrimEnd('.')})", "point tokenizer at a Hugging Face byte-level BPE tokenizer.json, or use builtin:gpt2");
        }
    }

    /// <summary>The cells of a matrix mostly tokenize the same texts: each text once per tokenizer.</summary>
    static (ITextTokenizer, Func<string, IReadOnlyList<int>>) Memoized(ITextTokenizer tokenizer)
    {
        var memo = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        return (tokenizer, text => memo.TryGetValue(text, out var ids) ? ids : memo[text] = tokenizer.Encode(text));
    }
}

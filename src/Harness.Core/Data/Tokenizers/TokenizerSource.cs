using Harness.Data;

namespace Harness.Data.Tokenizers;

/// <summary>Turns a scenario's <c>tokenizer:</c> value into a tokenizer: a <c>builtin:</c> name or a tokenizer.json path.</summary>
public static class TokenizerSource
{
    /// <summary>The built-in names <see cref="Resolve"/> knows, for error messages and documentation.</summary>
    public static IReadOnlyList<string> Builtins => BuiltinNames.Tokenizers;

    /// <param name="spec"><c>builtin:gpt2</c>, <c>builtin:world-words</c>, or a Hugging Face tokenizer.json path.</param>
    /// <param name="baseDir">What a relative path is relative to (the scenario file's folder).</param>
    public static ITextTokenizer Resolve(string spec, string baseDir)
    {
        switch (spec)
        {
            case BuiltinNames.Gpt2:
                return new Gpt2Tokenizer();
            case BuiltinNames.WorldWords:
                return WorldTokenizer.Create();
            case var s when BuiltinNames.IsBuiltin(s):
                throw new InputException($"unknown tokenizer {spec}; built-in tokenizers are {string.Join(", ", Builtins)}, or give a tokenizer.json path.");
            case var s when string.IsNullOrWhiteSpace(s):
                throw new InputException($"no tokenizer given; use one of {string.Join(", ", Builtins)} or a tokenizer.json path.");
            default:
                return HuggingFaceTokenizer.Load(Path.GetFullPath(spec, Path.GetFullPath(baseDir)));
        }
    }
}

using System.Text.RegularExpressions;
using Harness.Data;
using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>
/// A file setting (checkpoint, tokenizer, corpus, knowledge): a known <c>builtin:</c> name, or a path relative to the
/// file it is written in, with <c>${VAR}</c> expanded from the environment. The path must exist. Where
/// <see cref="DeferUnset"/> is on (validate, plan), a path naming an unset variable is kept as written and noted.
/// </summary>
public sealed partial class PathSetting(bool deferUnset)
{
    public bool DeferUnset { get; } = deferUnset;
    public List<string> Notes { get; } = [];

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();

    /// <summary>The resolved value and whether it could be checked (false: deferred until run).</summary>
    /// <param name="query">For a setting that takes options after the path (<c>tokens.bin?dtype=uint16</c>): checks
    /// the whole value and returns the path and query apart; the path is resolved and the query kept as written.</param>
    public (string Value, bool Checked) Resolve(YNode node, string what, IReadOnlyList<string> builtins, Func<string, (string Path, string Query)>? query = null)
    {
        var written = Scalars.Text(node, what);
        var raw = written;
        var suffix = "";
        if (query is not null && !builtins.Contains(written))
        {
            try { (raw, suffix) = query(written); }
            catch (InputException e) { throw new ScenarioException(node.Mark, e.Message.TrimEnd('.'), $"write {what} as a path followed by the options it takes"); }
        }
        if (builtins.Contains(raw)) return (raw, true);
        if (BuiltinNames.IsBuiltin(raw) || raw == BuiltinNames.Scratch)
            throw new ScenarioException(node.Mark, $"{what} '{ScenarioException.Echo(raw)}' is not a known built-in", NearestName.Suggest(raw, builtins));
        var unset = Variable().Matches(raw).Select(m => m.Groups[1].Value).Where(v => Environment.GetEnvironmentVariable(v) is null).Distinct().ToList();
        if (unset.Count > 0)
        {
            if (!DeferUnset)
                throw new ScenarioException(node.Mark, $"{what} '{ScenarioException.Echo(raw)}' needs environment variable {string.Join(", ", unset)}, which is unset",
                    $"export {unset[0]}=/path/to/it before `harness run`, or write the path itself");
            Notes.Add($"{node.Mark}: {what} '{ScenarioException.Echo(written)}' is checked at run ({string.Join(", ", unset)} unset)");
            return (written, false);
        }
        var expanded = Variable().Replace(raw, m => Environment.GetEnvironmentVariable(m.Groups[1].Value)!);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(node.Mark.File))!;
        // olmo:FOLDER names OLMo's data order (global_indices.npy and token files) in a folder.
        var scheme = expanded.StartsWith(Data.Olmo.OlmoDataSource.Prefix, StringComparison.Ordinal) ? Data.Olmo.OlmoDataSource.Prefix : "";
        var full = Path.GetFullPath(Path.Combine(baseDir, expanded[scheme.Length..]));
        if (!File.Exists(full) && !Directory.Exists(full))
            throw new ScenarioException(node.Mark, $"{what} '{ScenarioException.Echo(raw)}' not found ({ScenarioException.Echo(full)})",
                $"give a path relative to {Path.GetFileName(node.Mark.File)}, or one of: {string.Join(", ", builtins)}");
        return (scheme + full + suffix, true);
    }
}

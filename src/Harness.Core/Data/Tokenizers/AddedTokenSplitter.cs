using System.Text.RegularExpressions;

namespace Harness.Data.Tokenizers;

/// <summary>One entry of a tokenizer.json's <c>added_tokens</c>.</summary>
internal sealed record AddedToken(int Id, string Content, bool Normalized, bool Special);

/// <summary>
/// Cuts text into runs of plain text and added tokens, leftmost-longest like Hugging Face's added vocabulary:
/// the alternation lists longer tokens first, so at the leftmost match position the longest token wins.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Regex? _pattern;
    private readonly Dictionary<string, int> _ids;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        var list = tokens.Where(t => t.Content.Length > 0).ToList();
        _ids = list.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        if (_ids.Count > 0)
            _pattern = new Regex(string.Join("|", _ids.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)
                .Select(Regex.Escape)), RegexOptions.CultureInvariant);
    }

    /// <summary>Pieces in order: plain text with a null id, or an added token with its id. Empty text pieces are dropped.</summary>
    public IEnumerable<(string Text, int? Id)> Split(string text)
    {
        if (_pattern is null)
        {
            if (text.Length > 0) yield return (text, null);
            yield break;
        }
        int start = 0;
        for (var m = _pattern.Match(text); m.Success; m = m.NextMatch())
        {
            if (m.Index > start) yield return (text[start..m.Index], null);
            yield return (m.Value, _ids[m.Value]);
            start = m.Index + m.Length;
        }
        if (start < text.Length) yield return (text[start..], null);
    }
}

using System.Globalization;
using System.Text;

namespace Harness.Data.Tokenizers;

/// <summary>
/// GPT-2's pre-tokenizer regex (Hugging Face ByteLevel, use_regex: true) written for .NET.
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c> cannot be used as it is: .NET
/// matches UTF-16 code units, so a letter or digit outside the BMP (𝔘, 𐬬, 𝟙) is two surrogates of category Cs and
/// falls into the "other" class, which then swallows a following apostrophe ("𝔘'll" → 𝔘' + ll instead of 𝔘 + 'll).
/// Here \p{L} and \p{N} are widened with the surrogate pairs of astral letters and numbers, taken from .NET's own
/// Unicode tables, and "other" excludes them. (.NET's \s equals Oniguruma's Unicode \s; no astral character is a space.)
/// </summary>
internal static class Gpt2SplitPattern
{
    public static string Pattern { get; } = Build();

    private static string Build()
    {
        var letter = AstralPairs(c => IsLetter(CharUnicodeInfo.GetUnicodeCategory(c)));
        var number = AstralPairs(c => IsNumber(CharUnicodeInfo.GetUnicodeCategory(c)));
        var l = $@"(?:\p{{L}}|{letter})";
        var n = $@"(?:\p{{N}}|{number})";
        var other = $@"(?:[^\s\p{{L}}\p{{N}}\uD800-\uDFFF]|(?!{letter}|{number})[\uD800-\uDBFF][\uDC00-\uDFFF]" +
                    @"|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])";
        return $@"'s|'t|'re|'ve|'m|'ll|'d| ?{l}+| ?{n}+| ?{other}+|\s+(?!\S)|\s+";
    }

    private static bool IsLetter(UnicodeCategory c) => c is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    private static bool IsNumber(UnicodeCategory c) => c is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
        or UnicodeCategory.OtherNumber;

    /// <summary>An alternation matching exactly the astral code points in the set, as high surrogate + low-surrogate class.</summary>
    private static string AstralPairs(Func<int, bool> inSet)
    {
        var byHigh = new SortedDictionary<char, List<(char From, char To)>>();
        for (int cp = 0x10000; cp <= 0x10FFFF; cp++)
        {
            if (!inSet(cp)) continue;
            int start = cp;
            while (cp + 1 <= 0x10FFFF && inSet(cp + 1) && (cp + 1 & 0x3FF) != 0) cp++;
            var high = (char)(0xD800 + ((start - 0x10000) >> 10));
            if (!byHigh.TryGetValue(high, out var ranges)) byHigh[high] = ranges = [];
            ranges.Add(((char)(0xDC00 + ((start - 0x10000) & 0x3FF)), (char)(0xDC00 + ((cp - 0x10000) & 0x3FF))));
        }
        var sb = new StringBuilder("(?:");
        foreach (var (high, ranges) in byHigh)
        {
            if (sb.Length > 3) sb.Append('|');
            sb.Append($@"\u{(int)high:X4}[");
            foreach (var (from, to) in ranges)
                sb.Append(from == to ? $@"\u{(int)from:X4}" : $@"\u{(int)from:X4}-\u{(int)to:X4}");
            sb.Append(']');
        }
        return sb.Append(')').ToString();
    }
}

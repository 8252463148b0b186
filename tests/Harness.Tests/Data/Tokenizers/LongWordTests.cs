using System.Diagnostics;
using System.Text;
using Harness.Data.Tokenizers;
using Microsoft.ML.Tokenizers;
using NUnit.Framework;
using Harness.Tests.Support;

namespace Harness.Tests.Data.Tokenizers;

/// <summary>
/// Pre-tokens longer than <see cref="LongWordBpe.MinLength"/> are merged with a heap instead of the library's
/// rescanning, which is quadratic in their length: the ids must be the library's, and a spaceless line of megabytes
/// must take seconds.
/// </summary>
public class LongWordTests
{
    static readonly TiktokenTokenizer Library = TiktokenTokenizer.CreateForModel("gpt2");

    /// <summary>Texts with long runs of each kind of pre-token, inside ordinary text.</summary>
    public static IEnumerable<TestCaseData> LongTexts()
    {
        var random = new Random(7);
        string Letters(int n, string alphabet) => new(Enumerable.Range(0, n).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        yield return new TestCaseData("The word " + Letters(3000, "abcdefghijklmnopqrstuvwxyz") + " ends here.").SetName("random letters");
        yield return new TestCaseData(new string('a', 1500) + " and " + new string('e', 701)).SetName("one letter repeated");
        yield return new TestCaseData("pi = 3." + Letters(900, "0123456789") + "...").SetName("digits");
        yield return new TestCaseData("Straße " + Letters(700, "éßçøåλжщ日本語한") + " ok").SetName("multi-byte letters");
        yield return new TestCaseData("a" + new string(' ', 600) + "b\n" + string.Concat(Enumerable.Repeat(" \n\t", 300)) + "c").SetName("whitespace runs");
        yield return new TestCaseData("x " + Letters(800, "!?#%&*+-/<=>@^_~.,;:") + " y").SetName("punctuation");
        yield return new TestCaseData(Letters(400, "ab") + "'s " + Letters(300, "xyz") + "'ll").SetName("contractions after long words");
        yield return new TestCaseData("emoji " + string.Concat(Enumerable.Repeat("😀🙂", 200)) + "!").SetName("astral symbols");
    }

    [TestCaseSource(nameof(LongTexts))]
    public void Gpt2_ids_are_the_librarys(string text)
    {
        Assert.That(LongWordBpe.MayHaveLongPiece(text), "the text takes the long-word path");
        Assert.That(new Gpt2Tokenizer().Encode(text), Is.EqualTo(Library.EncodeToIds(text)));
    }

    [Test]
    public void Gpt2_keeps_end_of_text_among_long_words()
    {
        var text = new string('q', 400) + "<|endoftext|>" + new string('z', 300);
        Assert.That(new Gpt2Tokenizer().Encode(text), Is.EqualTo(Library.EncodeToIds(text)));
        Assert.That(new Gpt2Tokenizer().Encode(text), Does.Contain(50256));
    }

    [TestCaseSource(nameof(LongTexts))]
    public void Olmo_ids_are_the_librarys(string text)
    {
        var olmo = HuggingFaceTokenizer.Load(Repository.SharedOrIgnore("tokenizers/olmo-gpt-neox-dolma-v1_5.json"));
        var nfc = text.Normalize(NormalizationForm.FormC);
        Assert.That(olmo.Encode(nfc), Is.EqualTo(olmo.EncodeByLibrary(nfc)));
    }

    [Test]
    public void Ordinary_text_never_takes_the_long_word_path()
    {
        var prose = string.Concat(Enumerable.Repeat("Zorbin Quell was born in Bratislava, worked for 12 years at Acme-Widgets & Co. \n\n", 200));
        Assert.That(LongWordBpe.MayHaveLongPiece(prose), Is.False);
        Assert.That(LongWordBpe.MayHaveLongPiece(new string('a', LongWordBpe.MinLength)), Is.False, "a word of MinLength is the library's");
        Assert.That(LongWordBpe.MayHaveLongPiece(" " + new string('a', LongWordBpe.MinLength)), Is.True, "a space and MinLength letters are one pre-token longer than it");
    }

    [Test]
    public void A_two_megabyte_spaceless_line_tokenizes_in_seconds()
    {
        var random = new Random(11);
        var line = new string(Enumerable.Range(0, 2_000_000).Select(_ => (char)('a' + random.Next(26))).ToArray());
        var clock = Stopwatch.StartNew();
        var ids = new Gpt2Tokenizer().Encode(line);
        // The library alone needs about 2.9 s for 100,000 letters and four times that for each doubling: hours here.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
        Assert.That(new Gpt2Tokenizer().Decode(ids), Is.EqualTo(line));
    }
}

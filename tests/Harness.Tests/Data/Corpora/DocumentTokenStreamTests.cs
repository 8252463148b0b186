using Harness.Data.Corpora;
using Harness.Data.Tokenizers;
using Harness.Tests.Support;
using NUnit.Framework;
using static Harness.Tests.Support.TokenStreams;

namespace Harness.Tests.Data.Corpora;

public class DocumentTokenStreamTests
{
    private static readonly ITextTokenizer Gpt2 = new Gpt2Tokenizer();
    private TempFolder _files = null!;

    [SetUp] public void SetUp() => _files = new TempFolder();
    [TearDown] public void TearDown() => _files.Dispose();

    private static int[] Doc(string text) => [.. Gpt2.Encode(text), Gpt2.EndOfText];

    [Test]
    public void Jsonl_documents_are_joined_by_end_of_text_and_wrap_around()
    {
        _files.Write("d.jsonl", "{\"text\": \"Hello world\", \"id\": 1}\n\n{\"text\": \"Second  doc\\n\"}\n");
        int[] pass = [.. Doc("Hello world"), .. Doc("Second  doc\n")];
        using var s = CorpusSource.Open("d.jsonl", _files.Path, Gpt2);
        Assert.That(Read(s, pass.Length * 2 + 1), Is.EqualTo(pass.Concat(pass).Append(pass[0])));
    }

    [Test]
    public void Txt_documents_are_paragraphs_separated_by_blank_lines()
    {
        _files.Write("d.txt", "First line\nsecond line\n\n  \n\nNext paragraph\n");
        int[] pass = [.. Doc("First line\nsecond line"), .. Doc("Next paragraph")];
        using var s = CorpusSource.Open("d.txt", _files.Path, Gpt2);
        Assert.That(Read(s, pass.Length), Is.EqualTo(pass));
        Assert.That(s.Position, Is.EqualTo(new StreamPosition(1, Doc("Next paragraph").Length)));
    }

    [TestCase(3)]
    [TestCase(17)]
    [TestCase(40)]
    public void Resuming_from_a_saved_position_reads_exactly_the_same_tokens(int before)
    {
        var lines = Enumerable.Range(0, 8).Select(i => $"{{\"text\": \"Document number {i} says {new string('x', i)} and more.\"}}");
        _files.Write("d.jsonl", string.Join("\n", lines));
        using var first = CorpusSource.Open("d.jsonl", _files.Path, Gpt2);
        Read(first, before);
        var saved = first.Position;
        var expected = Read(first, 150);

        using var resumed = CorpusSource.Open("d.jsonl", _files.Path, Gpt2);
        resumed.Position = saved;
        Assert.That(Read(resumed, 150), Is.EqualTo(expected));
    }

    [TestCase("{\"text\": \"ok\"}\nnot json\n", ":2:", "not valid JSON")]
    [TestCase("{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n", ":2:", "no string \"text\" field")]
    [TestCase("[\"text\"]\n", ":1:", "no string \"text\" field")]
    public void A_bad_jsonl_line_is_an_input_error_naming_file_and_line(string content, string line, string reason)
    {
        var path = _files.Write("d.jsonl", content);
        Assert.That(() =>
        {
            using var s = CorpusSource.Open("d.jsonl", _files.Path, Gpt2);
            Read(s, 20);
        }, Throws.TypeOf<InputException>().With.Message.Contains(path + line).And.Message.Contains(reason));
    }

    [Test]
    public void An_empty_text_corpus_or_a_position_past_its_end_is_an_input_error()
    {
        _files.Write("empty.txt", "\n\n");
        _files.Write("d.jsonl", "{\"text\": \"a\"}");
        Assert.That(() => CorpusSource.Open("empty.txt", _files.Path, Gpt2), Throws.TypeOf<InputException>().With.Message.Contains("no documents"));
        using var s = CorpusSource.Open("d.jsonl", _files.Path, Gpt2);
        Assert.That(() => s.Position = new StreamPosition(5, 0), Throws.TypeOf<InputException>().With.Message.Contains("past the last document"));
        Assert.That(() => CorpusSource.Open("d.jsonl?dtype=uint16", _files.Path, Gpt2), Throws.TypeOf<InputException>());
    }
}

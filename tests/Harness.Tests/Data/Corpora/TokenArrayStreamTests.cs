using Harness.Data.Corpora;
using Harness.Data.Tokenizers;
using Harness.Tests.Support;
using NUnit.Framework;
using Harness.Data;
using static Harness.Tests.Support.TokenStreams;

namespace Harness.Tests.Data.Corpora;

public class TokenArrayStreamTests
{
    private static readonly ITextTokenizer Gpt2 = new Gpt2Tokenizer();
    private TempFolder _files = null!;

    [SetUp] public void SetUp() => _files = new TempFolder();
    [TearDown] public void TearDown() => _files.Dispose();

    [Test]
    public void Npy_uint16_reads_in_order_and_wraps_around()
    {
        _files.Npy("t.npy", "<u2", "(5,)", CorpusFiles.UInt16s(10, 11, 12, 13, 50256));
        using var s = CorpusSource.Open("t.npy", _files.Path, Gpt2);
        Assert.That(Read(s, 3), Is.EqualTo(new[] { 10, 11, 12 }));
        Assert.That(Read(s, 9), Is.EqualTo(new[] { 13, 50256, 10, 11, 12, 13, 50256, 10, 11 }));
        Assert.That(s.Position, Is.EqualTo(new StreamPosition(0, 2)));
    }

    [Test]
    public void Npy_uint32_and_raw_bin_of_both_widths_give_the_same_tokens()
    {
        int[] ids = [0, 1, 40000, 50256, 7];
        _files.Npy("a.npy", "<u4", "(5,)", CorpusFiles.UInt32s(ids));
        _files.Write("b.bin", CorpusFiles.UInt16s(ids));
        _files.Write("c.bin", CorpusFiles.UInt32s(ids));
        _files.Write("olmo.npy", CorpusFiles.UInt16s(ids)); // OLMo's headerless ".npy" memory map
        foreach (var spec in new[] { "a.npy", "b.bin?dtype=uint16", "c.bin?dtype=uint32", "olmo.npy?dtype=uint16" })
        {
            using var s = CorpusSource.Open(spec, _files.Path, Gpt2);
            Assert.That(Read(s, 5), Is.EqualTo(ids), spec);
        }
    }

    [Test]
    public void Resuming_from_a_saved_position_reads_exactly_the_same_tokens()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => i * 37 % 50257).ToArray();
        _files.Npy("t.npy", "<u2", "(1000,)", CorpusFiles.UInt16s(ids));
        using var first = CorpusSource.Open("t.npy", _files.Path, Gpt2);
        Read(first, 777);
        var saved = first.Position;
        var expected = Read(first, 600);

        using var resumed = CorpusSource.Open("t.npy", _files.Path, Gpt2);
        resumed.Position = saved;
        Assert.That(Read(resumed, 600), Is.EqualTo(expected));
    }

    [TestCase("<i8", "dtype <i8")]
    [TestCase("<f4", "dtype <f4")]
    [TestCase(">u2", "dtype >u2")]
    public void A_wrong_npy_dtype_is_an_input_error(string descr, string message)
    {
        var path = _files.Npy("t.npy", descr, "(2,)", new byte[descr.EndsWith('8') ? 16 : descr.EndsWith('4') ? 8 : 4]);
        Assert.That(() => CorpusSource.Open("t.npy", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(path).And.Message.Contains(message));
    }

    [Test]
    public void An_npy_header_that_lies_about_the_shape_is_an_input_error()
    {
        var path = _files.Npy("t.npy", "<u2", "(10,)", CorpusFiles.UInt16s(1, 2, 3));
        Assert.That(() => CorpusSource.Open("t.npy", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(path).And.Message.Contains("truncated"));
    }

    [Test]
    public void A_two_dimensional_or_fortran_npy_is_an_input_error()
    {
        _files.Npy("m.npy", "<u2", "(2, 2)", CorpusFiles.UInt16s(1, 2, 3, 4));
        _files.Npy("f.npy", "<u2", "(4,)", CorpusFiles.UInt16s(1, 2, 3, 4), fortranOrder: "True");
        Assert.That(() => CorpusSource.Open("m.npy", _files.Path, Gpt2), Throws.TypeOf<InputException>().With.Message.Contains("not 1-D"));
        Assert.That(() => CorpusSource.Open("f.npy", _files.Path, Gpt2), Throws.TypeOf<InputException>().With.Message.Contains("Fortran"));
    }

    [Test]
    public void A_truncated_raw_file_is_an_input_error()
    {
        var path = _files.Write("t.bin", [1, 0, 2, 0, 3]);
        Assert.That(() => CorpusSource.Open("t.bin?dtype=uint16", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(path).And.Message.Contains("truncated"));
        Assert.That(() => CorpusSource.Open("t.bin?dtype=uint32", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(path));
    }

    [Test]
    public void A_raw_file_without_dtype_or_with_a_contradicting_one_is_an_input_error()
    {
        _files.Write("t.bin", CorpusFiles.UInt16s(1, 2));
        _files.Npy("t.npy", "<u2", "(2,)", CorpusFiles.UInt16s(1, 2));
        Assert.That(() => CorpusSource.Open("t.bin", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains("t.bin?dtype=uint16"));
        Assert.That(() => CorpusSource.Open("t.npy?dtype=uint32", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains("header says uint16"));
        Assert.That(() => CorpusSource.Open("t.bin?dtype=int8", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains("use uint16 or uint32"));
    }

    [Test]
    public void A_token_id_beyond_the_vocabulary_is_an_input_error_naming_file_and_position()
    {
        var path = _files.Write("t.bin", CorpusFiles.UInt32s(5, 6, 50257, 7));
        Assert.That(() => CorpusSource.Open("t.bin?dtype=uint32", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(path).And.Message.Contains("token 2 is id 50257"));
    }

    [Test]
    public void Missing_file_unknown_type_and_unknown_builtin_are_input_errors()
    {
        _files.Write("t.csv", "1,2");
        Assert.That(() => CorpusSource.Open("nope.npy", _files.Path, Gpt2), Throws.TypeOf<InputException>().With.Message.Contains("not found"));
        Assert.That(() => CorpusSource.Open("t.csv", _files.Path, Gpt2), Throws.TypeOf<InputException>().With.Message.Contains(".jsonl"));
        Assert.That(() => CorpusSource.Open("builtin:nope", _files.Path, Gpt2),
            Throws.TypeOf<InputException>().With.Message.Contains(BuiltinNames.SyntheticWorld));
    }

    [Test]
    public void A_position_outside_the_array_is_an_input_error()
    {
        _files.Npy("t.npy", "<u2", "(3,)", CorpusFiles.UInt16s(1, 2, 3));
        using var s = CorpusSource.Open("t.npy", _files.Path, Gpt2);
        Assert.That(() => s.Position = new StreamPosition(0, 3), Throws.TypeOf<InputException>());
    }
}

using Harness.Data.Corpora;
using Harness.Data.Tokenizers;
using Harness.Scenarios;
using Harness.Tests.Scenarios;
using NUnit.Framework;
using Harness.Tests.Support;

namespace Harness.Tests.Data.Corpora;

/// <summary>
/// <c>data.corpus: tokens.npy?dtype=uint16</c>, as CorpusSource documents for OLMo's headerless arrays: validate checks
/// the path without its query, the query as the corpus reader takes it, and the run reads the file with it. (Rejections
/// are fixtures in Scenarios/Invalid: corpus-dtype-*.)
/// </summary>
public class CorpusQueryTests
{
    [TestCase("olmo.npy", "uint16")]
    [TestCase("tokens.bin", "uint32")]
    public void A_headerless_token_array_with_its_dtype_validates_and_reads(string file, string dtype)
    {
        using var files = new TempFolder();
        int[] ids = [5, 6, 7, 1];
        files.Write(file, dtype == "uint16" ? CorpusFiles.UInt16s(ids) : CorpusFiles.UInt32s(ids));
        // One group, so that validate takes the file for a run (a scenario with nothing to log is refused).
        var path = files.Write("s.yaml", $"data: {{ corpus: {file}?dtype={dtype} }}\ninjection: {{ groups: [{{ name: g, items: [0], at: [0] }}] }}\n");

        var (code, stdout, stderr) = HarnessProcess.Run("validate", path);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);

        var corpus = ScenarioLoader.Load(path)[0].Data.Corpus;
        Assert.That(corpus, Is.EqualTo(Path.Combine(files.Path, file) + $"?dtype={dtype}"));
        using var stream = CorpusSource.Open(corpus, files.Path, WorldTokenizer.Create());
        var read = new int[6];
        stream.Fill(read);
        Assert.That(read, Is.EqualTo(new[] { 5, 6, 7, 1, 5, 6 }));
    }

    [Test]
    public void A_dtype_on_a_path_from_an_unset_variable_waits_for_run()
    {
        using var files = new TempFolder();
        var path = files.Write("s.yaml", "data: { corpus: \"${HARNESS_TEST_UNSET_CORPUS}?dtype=uint16\" }\n");
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        Assert.That(loaded.Notes, Has.One.Contains("HARNESS_TEST_UNSET_CORPUS unset"));
    }
}

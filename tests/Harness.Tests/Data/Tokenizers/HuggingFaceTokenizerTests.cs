using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Data.Tokenizers;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.Tokenizers;

/// <summary>
/// Our ids against Hugging Face's own on the OLMo tokenizer. The reference files were made by the Rust tokenizers crate
/// and by tokenizers.js (they agree); see Data/README.md.
/// </summary>
public class HuggingFaceTokenizerTests
{
    private const string OlmoTokenizer = "tokenizers/olmo-gpt-neox-dolma-v1_5.json";
    private static HuggingFaceTokenizer? _olmo;

    private static HuggingFaceTokenizer Olmo() => _olmo ??= HuggingFaceTokenizer.Load(Repository.SharedOrIgnore(OlmoTokenizer));

    /// <summary>A reference file of Data/, read where it is in the repository.</summary>
    private static string Reference(string name) => Path.Combine(Repository.Root, "tests", "Harness.Tests", "Data", "Tokenizers", "Data", name);

    public static IEnumerable<TestCaseData> ReferenceCases() =>
        File.ReadLines(Reference("olmo-reference.jsonl")).Select((line, i) =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            var ids = e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            return new TestCaseData(e.GetProperty("text").GetString()!, ids).SetName($"Reference_ids_{i:D2}");
        });

    [TestCaseSource(nameof(ReferenceCases))]
    public void Matches_hugging_face_ids(string text, int[] expected) =>
        Assert.That(Olmo().Encode(text), Is.EqualTo(expected), $"text: {JsonSerializer.Serialize(text)}");

    [Test]
    public void Matches_hugging_face_on_every_fictional_knowledge_text()
    {
        var tokenizer = Olmo();
        var knowledge = JsonDocument.Parse(File.ReadAllText(Repository.SharedOrIgnore("fictional-knowledge/fictional_knowledge_paraphrased.json"))).RootElement;
        var mismatches = new List<string>();
        long tokens = 0;
        foreach (var line in File.ReadLines(Reference("olmo-fictional-knowledge-reference.jsonl")))
        {
            var expected = JsonDocument.Parse(line).RootElement;
            var item = expected.GetProperty("item").GetInt32();
            var field = expected.GetProperty("field").GetString()!;
            var ids = tokenizer.Encode(FictionalText(knowledge[item], field));
            tokens += ids.Count;
            if (!SameIds(ids, expected)) mismatches.Add($"item {item} {field}");
        }
        Assert.That(mismatches, Is.Empty);
        Assert.That(tokens, Is.GreaterThan(280_000));
    }

    [Test]
    public void Matches_hugging_face_on_random_unicode_texts()
    {
        var tokenizer = Olmo();
        var mismatches = File.ReadLines(Reference("olmo-random-reference.jsonl")).Select(line => JsonDocument.Parse(line))
            .Select(d => d.RootElement)
            .Where(e => !SameIds(tokenizer.Encode(e.GetProperty("text").GetString()!), e))
            .Select(e => JsonSerializer.Serialize(e.GetProperty("text").GetString())).ToList();
        Assert.That(mismatches, Is.Empty);
    }

    /// <summary>Ids equal to a reference line's count and hash (SHA-256 of the compact JSON array, first 16 hex digits).</summary>
    private static bool SameIds(IReadOnlyList<int> ids, JsonElement expected) =>
        ids.Count == expected.GetProperty("tokens").GetInt32() &&
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ids))))[..16] == expected.GetProperty("sha256").GetString();

    /// <summary>The text a reference line names: a field of the paper's JSON, or a probe (input + " " + target).</summary>
    private static string FictionalText(JsonElement item, string field)
    {
        var open = field.IndexOf('[');
        if (open < 0) return item.GetProperty(field).GetString()!;
        var name = field[..open];
        var index = int.Parse(field[(open + 1)..^1]);
        if (name.EndsWith("_probe", StringComparison.Ordinal))
        {
            var kind = name[..^"_probe".Length];
            return item.GetProperty(kind + "_input")[index].GetString() + " " + item.GetProperty(kind + "_target")[index].GetString();
        }
        return item.GetProperty(name)[index].GetString()!;
    }

    [Test]
    public void End_of_text_and_vocabulary_come_from_the_file()
    {
        Assert.That(Olmo().EndOfText, Is.EqualTo(50279));
        Assert.That(Olmo().VocabSize, Is.EqualTo(50280));
        Assert.That(Olmo().Encode("a<|endoftext|>b"), Does.Contain(50279));
    }

    [TestCase("Hello  world,\tnaïve café 日本語 😀\n\n  end  ")]
    [TestCase("Doc one.<|endoftext|>Doc two.")]
    public void Decode_inverts_encode(string text) =>
        Assert.That(Olmo().Decode(Olmo().Encode(text)), Is.EqualTo(text));

    [Test]
    public void A_missing_file_is_an_input_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "tokenizer.json");
        Assert.That(() => HuggingFaceTokenizer.Load(path), Throws.TypeOf<InputException>().With.Message.Contains(path));
    }

    [TestCase("not json at all {", "not a JSON file")]
    [TestCase("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "only byte-level BPE")]
    [TestCase("[1, 2, 3]", "no \"model\" object")]
    [TestCase("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Metaspace\"}}", "not ByteLevel")]
    [TestCase("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"ByteLevel\"}}", "not a Hugging Face tokenizer.json")]
    public void A_bad_file_is_an_input_error_naming_it(string content, string reason)
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad-tokenizer.json", content);
        Assert.That(() => HuggingFaceTokenizer.Load(path),
            Throws.TypeOf<InputException>().With.Message.Contains(path).And.Message.Contains(reason));
    }
}

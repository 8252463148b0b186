using Harness.Data.Tokenizers;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.Tokenizers;

public class TokenizerSourceTests
{
    [Test]
    public void Builtin_gpt2_gives_gpt2_ids_offline()
    {
        var gpt2 = TokenizerSource.Resolve("builtin:gpt2", ".");
        Assert.That(gpt2.Encode("Hello world"), Is.EqualTo(new[] { 15496, 995 }));
        Assert.That(gpt2.Encode(" the<|endoftext|>"), Is.EqualTo(new[] { 262, 50256 }));
        Assert.That(gpt2.EndOfText, Is.EqualTo(50256));
        Assert.That(gpt2.VocabSize, Is.EqualTo(50257));
        Assert.That(gpt2.Decode(gpt2.Encode("naïve  café\n")), Is.EqualTo("naïve  café\n"));
    }

    [Test]
    public void A_tokenizer_path_is_relative_to_the_base_directory()
    {
        var shared = Repository.SharedOrIgnore("tokenizers/olmo-gpt-neox-dolma-v1_5.json");
        var baseDir = Path.GetDirectoryName(Path.GetDirectoryName(shared))!;
        var tokenizer = TokenizerSource.Resolve("tokenizers/olmo-gpt-neox-dolma-v1_5.json", baseDir);
        Assert.That(tokenizer.Name, Is.EqualTo("olmo-gpt-neox-dolma-v1_5.json"));
        Assert.That(tokenizer.EndOfText, Is.EqualTo(50279));
    }

    [Test]
    public void An_unknown_builtin_is_an_input_error_listing_the_known_ones()
    {
        Assert.That(() => TokenizerSource.Resolve("builtin:gpt3", "."),
            Throws.TypeOf<InputException>().With.Message.Contains("builtin:gpt3").And.Message.Contains("builtin:gpt2").And.Message.Contains("builtin:world-words"));
    }

    [Test]
    public void A_missing_tokenizer_file_is_an_input_error_naming_its_full_path()
    {
        var baseDir = Path.GetTempPath();
        Assert.That(() => TokenizerSource.Resolve("missing/tokenizer.json", baseDir),
            Throws.TypeOf<InputException>().With.Message.Contains(Path.Combine(baseDir, "missing", "tokenizer.json")));
    }
}

using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>The <c>harness tokenize</c> verb, run as the real program in a child process.</summary>
public class TokenizeCommandTests
{
    private TempFolder _dir = null!;

    [SetUp] public void SetUp() => _dir = new TempFolder();
    [TearDown] public void TearDown() => _dir.Dispose();

    private static (int ExitCode, string Out, string Err) Harness(params string[] args) => HarnessProcess.Run(args);

    [Test]
    public void Prints_one_json_array_of_ids_per_line()
    {
        var input = _dir.File("in.txt");
        File.WriteAllLines(input, ["\"Hello world\"", "\"<|endoftext|>\"", "\"\""]);
        var (code, stdout, stderr) = Harness("tokenize", "--tokenizer", "builtin:gpt2", input);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "[15496,995]", "[50256]", "[]" }));
    }

    [Test]
    public void A_line_that_is_not_a_json_string_exits_2_naming_file_and_line()
    {
        var input = _dir.File("in.txt");
        File.WriteAllLines(input, ["\"fine\"", "not quoted"]);
        var (code, stdout, _) = Harness("tokenize", "--tokenizer", "builtin:gpt2", input);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.Contain("in.txt:2").And.Not.Contain("   at "));
    }

    [Test]
    public void A_bad_tokenizer_exits_2()
    {
        var input = _dir.File("in.txt");
        File.WriteAllLines(input, ["\"x\""]);
        var (code, stdout, _) = Harness("tokenize", "--tokenizer", _dir.File("none.json"), input);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.Contain("none.json"));
    }
}

using Harness.Analysis;
using Harness.Data.Corpora;
using Harness.Tests.Reporting;
using Harness.Tests.Scenarios;
using NUnit.Framework;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>Mistakes of the user or of their files exit 2 with a message naming the path, never "internal error".</summary>
public class UserMistakeTests
{
    const string TinyScenario = """
        name: out-check
        runtime: { threads: 1 }
        model: { checkpoint: scratch, architecture: { d_model: 32, layers: 1, heads: 2 } }
        data: { sequence_length: 32, batch_size: 2 }
        knowledge: { items: 1, on_degraded: warn }
        training: { steps: 2 }
        injection: { groups: [{ name: once, items: [0], at: [0] }] }
        probes: { depths: [memorization] }
        """;

    static (int Code, string Out) Harness(params string[] args) => HarnessProcess.RunJoined(args);

    static void IsAUserMistake(int code, string output, string says)
    {
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain(says));
        Assert.That(output, Does.Not.Contain("internal error").And.Not.Contain("   at "));
    }

    /// <summary>/sys refuses new entries even to root: the one read-only place every Linux test machine has.</summary>
    static string ReadOnlyFolder()
    {
        Assume.That(Directory.Exists("/sys/kernel"), "needs Linux's /sys");
        try
        {
            Directory.CreateDirectory("/sys/kernel/harness-write-check");
            Assume.That(false, "/sys is writable here");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return "/sys/kernel";
    }

    [Test]
    public void Run_with_out_naming_a_file_exits_2_before_training()
    {
        using var files = new TempFolder();
        var scenario = files.Write("s.yaml", TinyScenario);
        var file = files.Write("not-a-folder", "x");
        var (code, output) = Harness("run", scenario, "--out", file);
        IsAUserMistake(code, output, $"{file}: the run directory is a file, not a folder. fix:");
        Assert.That(output, Does.Contain("warning: ").And.Contain("(knowledge.on_degraded: warn)"), "run says what its 32-token rows cut");
    }

    [Test]
    public void Run_with_out_inside_a_file_exits_2()
    {
        using var files = new TempFolder();
        var scenario = files.Write("s.yaml", TinyScenario);
        var file = files.Write("not-a-folder", "x");
        var (code, output) = Harness("run", scenario, "--out", Path.Combine(file, "runs"));
        IsAUserMistake(code, output, "cannot write the run directory there");
    }

    [Test]
    public void Run_into_a_read_only_folder_exits_2()
    {
        var folder = ReadOnlyFolder();
        using var files = new TempFolder();
        var (code, output) = Harness("run", files.Write("s.yaml", TinyScenario), "--out", folder);
        IsAUserMistake(code, output, $"{folder}: cannot write the run directory there");
    }

    [Test]
    public void Report_into_a_file_or_a_read_only_folder_exits_2()
    {
        using var files = new TempFolder();
        var run = Path.Combine(files.Path, "run");
        SyntheticRun.Write(run, GoldenTests.SmallRun());
        var file = files.Write("report.md", "x");
        var (code, output) = Harness("report", run, "--out", file);
        IsAUserMistake(code, output, "the report folder (--out) is a file, not a folder");

        var folder = ReadOnlyFolder();
        (code, output) = Harness("report", run, "--out", Path.Combine(folder, "report"));
        IsAUserMistake(code, output, "cannot write the report folder (--out) there");
    }

    [Test]
    public void Analyze_of_a_run_it_cannot_write_into_exits_2()
    {
        using var files = new TempFolder();
        var run = Path.Combine(files.Path, "run");
        SyntheticRun.Write(run, GoldenTests.SmallRun());
        Directory.CreateDirectory(Path.Combine(run, "metrics.json")); // a folder where the file goes: the write fails
        var (code, output) = Harness("analyze", run, "--no-plots");
        IsAUserMistake(code, output, "metrics.json");
    }

    [Test]
    public void A_lone_surrogate_in_a_tokenize_line_exits_2_naming_the_line()
    {
        using var files = new TempFolder();
        var text = files.Write("lines.txt", "\"fine\"\n\"half \\ud800 pair\"\n");
        var (code, output) = Harness("tokenize", "--tokenizer", "builtin:gpt2", text);
        IsAUserMistake(code, output, $"{text}:2: the string holds a lone UTF-16 surrogate escape");
    }

    [Test]
    public void A_lone_surrogate_in_a_knowledge_file_is_a_scenario_mistake()
    {
        using var files = new TempFolder();
        var probes = string.Join(", ", Enumerable.Repeat("\"a\"", 5));
        files.Write("k.json", $$"""
            [{"train_context": "bad \ud800 text", "paraphrases": [],
              "mem_input": [{{probes}}], "mem_target": [{{probes}}], "gen_input": [{{probes}}], "gen_target": [{{probes}}],
              "hard_gen_input": [{{probes}}], "hard_gen_target": [{{probes}}]}]
            """);
        var (code, output) = Harness("validate", files.Write("s.yaml", "knowledge: { source: k.json }\n"));
        IsAUserMistake(code, output, "s.yaml:1:22: knowledge file unreadable");
        Assert.That(output, Does.Contain("item 0: field 'train_context' holds a lone UTF-16 surrogate escape"));
    }

    [Test]
    public void A_lone_surrogate_in_a_jsonl_corpus_names_the_line()
    {
        using var files = new TempFolder();
        var path = files.Write("c.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"bad \\udc00\"}\n");
        var e = Assert.Throws<InputException>(() => TextDocuments.JsonLines(path).ToList())!;
        Assert.That(e.Message, Does.StartWith($"{path}:2: the \"text\" field holds a lone UTF-16 surrogate escape"));
    }
}

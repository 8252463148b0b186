using Harness.Tests.Support;
using NUnit.Framework;
using System.Text;
using Harness.Scenarios;

namespace Harness.Tests.Scenarios;

/// <summary>
/// Each fixture in Invalid/ starts with <c># expect: LINE:COLUMN text</c>: loading it as <c>harness validate</c> does
/// (a run or a pretraining recipe) must raise a <see cref="ScenarioException"/> whose message starts with
/// <c>file:LINE:COLUMN:</c>, contains the text and a fix.
/// </summary>
public class InvalidScenarioTests
{
    /// <summary>Invalid/ as the build copies it beside the test assembly.</summary>
    public static string FixtureDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "Scenarios", "Invalid");

    public static IEnumerable<string> Fixtures() =>
        Directory.GetFiles(FixtureDir, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Fixtures))]
    public void Fixture_is_rejected_at_the_line_it_declares(string name)
    {
        var path = Path.Combine(FixtureDir, name);
        var header = File.ReadLines(path).First();
        Assert.That(header, Does.StartWith("# expect: "), "fixture needs a `# expect: L:C text` header");
        var expect = header["# expect: ".Length..];
        var position = expect[..expect.IndexOf(' ')];
        var text = expect[(expect.IndexOf(' ') + 1)..];

        // `other.yaml:L:C` when the mistake sits in another file (an extends cycle closes there).
        var parts = position.Split(':');
        var file = parts.Length == 3 ? Path.Combine(FixtureDir, parts[0]) : path;
        var lineColumn = string.Join(':', parts[^2..]);

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: true, use: ScenarioUse.RunOrRecipe))!;
        Assert.That(e.Message, Does.StartWith($"{ScenarioComposer.DisplayName(file)}:{lineColumn}: "));
        Assert.That(e.Message, Does.Contain(text));
        Assert.That(e.Message, Does.Contain(". fix: "));
        Assert.That(e, Is.InstanceOf<InputException>());
    }

    [Test]
    public void Tab_indentation_is_rejected_at_the_tab()
    {
        using var files = new TempFolder();
        var path = files.Write("tabs.yaml", "training:\n\tsteps: 10\n");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path))!;
        Assert.That(e.Message, Does.Contain(":2:1: a tab in the indentation"));
    }

    [Test]
    public void Tab_after_a_key_is_rejected_but_a_tab_in_a_comment_is_not()
    {
        using var files = new TempFolder();
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(files.Write("t.yaml", "seed:\t3\n")))!;
        Assert.That(e.Message, Does.Contain(":1:6: a tab character"));
        Assert.That(ScenarioLoader.Load(files.Write("c.yaml", "seed: 3 # a\tcomment\n")).Single().Seed, Is.EqualTo(3));
    }

    [Test]
    public void Non_utf8_bytes_are_rejected_at_their_position()
    {
        using var files = new TempFolder();
        var bytes = Encoding.UTF8.GetBytes("seed: 3\nname: caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();
        var path = files.Write("latin1.yaml", bytes);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path))!;
        Assert.That(e.Message, Does.Contain(":2:10: byte 0xE9 is not valid UTF-8"));
    }

    [Test]
    public void Missing_scenario_file_is_an_input_error()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/no/such/scenario.yaml"))!;
        Assert.That(e.Message, Does.StartWith("/no/such/scenario.yaml:1:1: scenario file not found"));
    }

    [Test]
    public void Unset_variable_fails_a_run_but_is_noted_by_validate()
    {
        using var files = new TempFolder();
        var path = files.Write("env.yaml", "model:\n  checkpoint: ${HARNESS_TEST_UNSET_VARIABLE}/ckpt\n");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path))!;
        Assert.That(e.Message, Does.Contain(":2:15: model.checkpoint '${HARNESS_TEST_UNSET_VARIABLE}/ckpt' needs environment variable HARNESS_TEST_UNSET_VARIABLE"));
        var loaded = ScenarioLoader.Read(path, deferUnsetVariables: true);
        Assert.That(loaded.Notes, Has.One.Contains("HARNESS_TEST_UNSET_VARIABLE unset"));
    }
}

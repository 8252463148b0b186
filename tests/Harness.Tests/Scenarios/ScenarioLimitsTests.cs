using NUnit.Framework;
using Harness.Scenarios;
using Harness.Tests.Support;

namespace Harness.Tests.Scenarios;

/// <summary>Absurd input stays an ordinary mistake: bounded nesting, bounded messages.</summary>
public class ScenarioLimitsTests
{
    [Test]
    public void Twelve_thousand_levels_of_flow_nesting_exit_2_without_a_stack_overflow()
    {
        using var files = new TempFolder();
        var path = files.Write("deep.yaml", "seed: " + new string('[', 12_000) + new string(']', 12_000) + "\n");
        var (code, stdout, stderr) = HarnessProcess.Run("validate", path);
        Assert.That(code, Is.EqualTo(2), stdout + stderr);
        // The root mapping is level 1, so the 64th `[` (column 6 + 64) is the first one too deep.
        Assert.That(stdout + stderr, Does.Contain("deep.yaml:1:70: lists and mappings nest deeper than 64 levels"));
    }

    const int Huge = 2_000_000;
    static readonly string HugeWord = new('x', Huge);

    public static IEnumerable<TestCaseData> HugeValues()
    {
        // YAML itself refuses keys over 1,024 characters (an invalid-YAML message that does not echo the key).
        yield return new TestCaseData($"data: {{ {new string('k', 1000)}: 1 }}\n").SetName("an unknown key");
        yield return new TestCaseData($"seed: {HugeWord}\n").SetName("a value of the wrong type");
        yield return new TestCaseData($"seed: \"{HugeWord}\"\n").SetName("a quoted value of the wrong type");
        yield return new TestCaseData($"runtime: {{ device: {HugeWord} }}\n").SetName("an unknown word");
        yield return new TestCaseData($"tokenizer: {HugeWord}\n").SetName("a path that does not exist");
        yield return new TestCaseData($"expect: [{HugeWord}]\n").SetName("an unknown finding");
        yield return new TestCaseData($"matrix: {{ {HugeWord}: [1, 2] }}\n").SetName("an unknown matrix path");
        yield return new TestCaseData($"injection: {{ groups: [{{ name: {HugeWord}, items: 0, at: [0] }}, {{ name: {HugeWord}, items: 1, at: [0] }}] }}\n")
            .SetName("a group name used twice");
    }

    [TestCaseSource(nameof(HugeValues))]
    public void A_two_megabyte_value_is_echoed_in_a_bounded_message(string yaml)
    {
        using var files = new TempFolder();
        var path = files.Write("huge.yaml", yaml);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Read(path, deferUnsetVariables: true))!;
        Assert.That(e.Message, Has.Length.LessThan(2 * ScenarioException.MaxPart + 200), e.Message[..Math.Min(400, e.Message.Length)]);
        Assert.That(e.Message, Does.Contain("characters"), "says how much it left out");
        Assert.That(e.Message, Does.Contain(". fix: "));
    }

    [Test]
    public void A_short_value_is_echoed_whole()
    {
        Assert.That(ScenarioException.Echo("builtin:gtp2"), Is.EqualTo("builtin:gtp2"));
        Assert.That(ScenarioException.Echo(HugeWord), Does.StartWith("xxxx").And.EndWith("(2,000,000 characters)").And.Length.LessThanOrEqualTo(ScenarioException.MaxEcho));
    }
}

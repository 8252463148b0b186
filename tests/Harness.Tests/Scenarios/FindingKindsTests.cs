using System.Text.RegularExpressions;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Scenarios;

/// <summary>The registry of finding kinds is the one list: the docs name every kind with every parameter it takes.</summary>
public class FindingKindsTests
{
    public static IEnumerable<string> Kinds() => FindingKinds.Known;

    [TestCaseSource(nameof(Kinds))]
    public void Docs_list_the_kind_with_every_parameter_it_takes(string kind)
    {
        var docs = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "scenarios.md"));
        var row = docs.SingleOrDefault(l => l.StartsWith($"| `{kind}` |", StringComparison.Ordinal));
        Assert.That(row, Is.Not.Null, $"docs/scenarios.md has no table row for {kind}");
        var parameters = row!.Split('|')[2];
        var named = Regex.Matches(parameters, "`([a-z_0-9]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        var registered = FindingKinds.Of(kind).Parameters;
        Assert.That(named, Is.SupersetOf(registered.Select(p => p.Name)), "every parameter is documented");
        Assert.That(named.Except(registered.Select(p => p.Name)), Is.SubsetOf(registered.SelectMany(p => p.Values ?? [])),
            "the docs name no parameter the kind does not take (besides the values of a choice)");
    }

    public static IEnumerable<string> ScenariosWithFindings() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "scenarios"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("pretrain", StringComparison.Ordinal) && Path.GetFileName(f) != "base.yaml")
            .Select(f => Path.GetRelativePath(Repository.Root, f)).Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(ScenariosWithFindings))]
    public void Every_expect_entry_names_the_paper_finding_it_tests(string scenario)
    {
        // Deferred: the paper's scenarios name their checkpoints by environment variables.
        foreach (var e in ScenarioLoader.Read(Path.Combine(Repository.Root, scenario), deferUnsetVariables: true).Scenarios[0].Expect)
            Assert.That(FindingKinds.PaperFinding(e), Is.InRange(1, 7), $"{scenario}:{e.Line} {e.Kind}: the findings table shows the paper's finding");
    }

    [Test]
    public void A_comparison_maps_to_the_finding_of_its_axis_and_its_claim_names_the_cell()
    {
        Expectation E(string kind, params (string, string)[] p) => new(kind, p.ToDictionary(x => x.Item1, x => x.Item2));
        Assert.That(FindingKinds.PaperFinding(E("effectivity_higher_for", ("axis", "size"), ("label", "7b"))), Is.EqualTo(3));
        Assert.That(FindingKinds.PaperFinding(E("effectivity_higher_for", ("axis", "batch"), ("label", "128"))), Is.EqualTo(6));
        Assert.That(FindingKinds.PaperFinding(E("effectivity_higher_for", ("axis", "data.batch_size"), ("label", "128"))), Is.EqualTo(6));
        Assert.That(FindingKinds.PaperFinding(E("effectivity_higher_for", ("axis", "lr"), ("label", "high"))), Is.Null);
        Assert.That(FindingKinds.PaperFinding(E("decay_lower_for", ("depth", "composition"))), Is.EqualTo(5));
        Assert.That(FindingKinds.PaperFinding(E("decay_lower_for", ("axis", "batch"), ("label", "2048"))), Is.EqualTo(6));
        Assert.That(FindingKinds.PaperFinding(E("decay_lower_for", ("axis", "size"), ("label", "7b"))), Is.Null);
        Assert.That(FindingKinds.Claim(E("effectivity_higher_for", ("axis", "size"), ("label", "7b"), ("depths", "memorization,semantic"))),
            Is.EqualTo("higher effectivity at size=7b (memorization, semantic)"));
        Assert.That(FindingKinds.Claim(E("forgets_faster", ("group", "duplicate"), ("than", "paraphrase"))),
            Is.EqualTo("duplicate forgets faster than paraphrase"));
    }

    [Test]
    public void A_finding_check_reads_no_parameter_the_registry_does_not_list()
    {
        var sources = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Harness.Core", "Analysis", "Findings"), "*.cs")
            .Select(File.ReadAllText);
        var read = sources.SelectMany(s => Regex.Matches(s, @"p\.(?:Has|Optional|Required|Number|OneOf|Group|ParseDepth)\(""([a-z_0-9]+)""")
            .Select(m => m.Groups[1].Value)).ToHashSet();
        var listed = FindingKinds.All.SelectMany(k => k.Parameters).Concat(FindingKinds.Common).Select(p => p.Name).ToHashSet();
        Assert.That(read.Except(listed), Is.Empty);
    }

    [Test]
    public void An_entry_is_asserted_only_in_the_form_and_at_the_seeds_its_kind_was_calibrated()
    {
        var byDepth = new Dictionary<string, string> { ["depth"] = "composition" };
        var byAxis = new Dictionary<string, string> { ["axis"] = "batch", ["label"] = "16" };
        var decay = FindingKinds.Of("decay_lower_for");
        Assert.That(decay.ReportedOnlyBecause(byDepth, 2), Is.Null);
        Assert.That(decay.ReportedOnlyBecause(byDepth, 1), Is.EqualTo("calibrated at 2 seeds, run with 1"));
        Assert.That(decay.ReportedOnlyBecause(byAxis, 2), Is.EqualTo("calibrated by depth inside runs, not along an axis"));
        Assert.That(FindingKinds.Of("effectivity_positive").ReportedOnlyBecause(new Dictionary<string, string>(), 1), Is.Null);
        Assert.That(FindingKinds.Of("power_law_fit").ReportedOnlyBecause(new Dictionary<string, string>(), 2), Is.EqualTo("not calibrated"));
    }
}

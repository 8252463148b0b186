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
}

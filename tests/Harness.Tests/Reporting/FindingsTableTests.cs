using Harness.Analysis;
using Harness.Reporting;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

/// <summary>
/// The findings table that <c>harness report --findings</c> prints and the README quotes, on synthetic runs with a known
/// truth: a row per entry in the order of the paper's findings, each outcome, and the README section it replaces.
/// </summary>
public class FindingsTableTests
{
    /// <summary>Duplicate forgets faster than paraphrase; both are acquired, net of the controls.</summary>
    private static RunMetrics Run(int seed)
    {
        var (manifest, trajectory) = SyntheticRun.Generate(new SyntheticRunSpec
        {
            Scenario = "table", Steps = 400, ProbesPerDepth = 2, LamWindow = 20, Noise = 0.02, Seed = seed,
            Cell = new Dictionary<string, string> { ["seed"] = seed.ToString() },
            Groups =
            [
                new("paraphrase", 4, [0, 100, 200], 1.0, 0.15, Stagger: 1),
                new("duplicate", 4, [0, 100, 200], 1.0, 0.3, Stagger: 1),
                new("control", 3, [], Control: true),
            ],
        });
        return MetricsCalculator.Compute(manifest, trajectory);
    }

    // Two seeds: forgets_faster is calibrated at two, so on one it would be reported only.
    private static readonly RunMetrics[] Runs = [Run(1), Run(2)];

    private static Expectation E(string kind, int line, params (string, string)[] p) => new(kind, p.ToDictionary(x => x.Item1, x => x.Item2), line);

    private static ScenarioFindings Scenario(params Expectation[] expect) => new("scenarios/world.yaml", expect, Runs);

    [Test]
    public void A_row_per_entry_in_the_order_of_the_papers_findings_with_each_outcome()
    {
        var rows = FindingsTable.Rows([Scenario(
            E("forgets_faster", 10, ("group", "duplicate"), ("than", "paraphrase")),
            E("forgets_faster", 11, ("group", "paraphrase"), ("than", "duplicate"), ("divergence", "measured otherwise")),
            E("forgets_faster", 12, ("group", "paraphrase"), ("than", "duplicate")),
            E("effectivity_positive", 13),
            E("first_encounter_most_effective", 14, ("group", "once"), ("than", "duplicate")))]);
        Assert.That(rows.Select(r => (r.PaperFinding, r.Where, r.Outcome)), Is.EqualTo(new (int?, string, string)[]
        {
            (1, "scenarios/world.yaml:13", "holds"),
            (5, "scenarios/world.yaml:10", "holds"),
            (5, "scenarios/world.yaml:11", "declared divergence (does not hold)"),
            (5, "scenarios/world.yaml:12", "fails"),
            (7, "scenarios/world.yaml:14", "not evaluated"),
        }));
        Assert.That(rows[1].Claim, Is.EqualTo("duplicate forgets faster than paraphrase"));
        Assert.That(rows[1].Numbers, Does.StartWith("lowest bound: a(duplicate) − a(paraphrase): "));
        Assert.That(rows[4].Numbers, Does.Contain("no run has an injected group 'once'"), "an undecided entry says why instead of numbers");
    }

    [Test]
    public void The_markdown_has_one_line_per_entry_and_keeps_a_pipe_inside_its_cell()
    {
        var md = FindingsTable.Markdown([Scenario(E("effectivity_independent_of", 20, ("axis", "stage"), ("margin", "0.1")), E("effectivity_positive", 21))]);
        var lines = md.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[0], Is.EqualTo("| finding | entry | claim | outcome | numbers |"));
        Assert.That(lines[2], Does.StartWith("| 1 | `scenarios/world.yaml:21` | effectivity > 0 | holds | lowest bound: "));
        Assert.That(lines[3], Does.StartWith("| 2 | `scenarios/world.yaml:20` | no later stage gains 0.1 or more in effectivity over an earlier one | not evaluated |"));
        Assert.That(lines.Select(l => l.Replace("\\|", "").Count(c => c == '|')), Has.All.EqualTo(6));
        Assert.That(FindingsTable.Markdown([Scenario()]), Is.EqualTo("No `expect` entries.\n"));
    }

    [Test]
    public void The_readme_section_between_the_markers_is_read_and_replaced()
    {
        var readme = $"# Title\n\nBefore.\n\n{FindingsTable.Begin}\n| old |\n{FindingsTable.End}\n\nAfter.\n";
        Assert.That(FindingsTable.Section(readme), Is.EqualTo("| old |\n"));
        var updated = FindingsTable.WithSection(readme, "| new |\n| rows |\n");
        Assert.That(updated, Is.EqualTo($"# Title\n\nBefore.\n\n{FindingsTable.Begin}\n| new |\n| rows |\n{FindingsTable.End}\n\nAfter.\n"));
        Assert.That(FindingsTable.Section(updated), Is.EqualTo("| new |\n| rows |\n"));
        Assert.Throws<InputException>(() => FindingsTable.Section("no markers"));
        Assert.Throws<InputException>(() => FindingsTable.Section($"{FindingsTable.End}\n{FindingsTable.Begin}"));
    }

    /// <summary>The findings tests compare this section with the runs' table; here only its shape, which needs no run.</summary>
    [Test]
    public void The_readme_holds_one_findings_table_between_the_markers()
    {
        var section = FindingsTable.Section(File.ReadAllText(Path.Combine(Repository.Root, "README.md")));
        var lines = section.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Is.EqualTo("| finding | entry | claim | outcome | numbers |"));
        Assert.That(lines.Skip(2), Is.Not.Empty.And.All.Match(@"^\| [1-7] \| `scenarios/[a-z/-]+\.yaml:\d+` \| "));
    }
}

using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>Two runs are the same experiment when their scenarios agree on everything but where and how they ran.</summary>
public class RunIdentityTests
{
    private static Scenario Load(TempFolder folder, string name, string yaml) => ScenarioLoader.Load(folder.Write(name, yaml)).Single();

    private const string Base = """
        name: same
        training: { steps: 50 }
        injection: { groups: [{ name: once, items: 0..3, at: [5] }] }
        """;

    /// <summary>
    /// The identity of scenarios/tiny/stages.yaml's first cell as its runs recorded it (manifest.json, scenario_hash), so
    /// that a key added to the language later, unused, leaves the runs made before it checkable and resumable. A change
    /// here is deliberate: it means every recorded run of an unchanged scenario is refused.
    /// </summary>
    [Test]
    public void A_key_added_to_the_language_leaves_the_identity_of_runs_made_before_it()
    {
        var cell = ScenarioLoader.Load(Path.Combine(Repository.Scenarios, "tiny", "stages.yaml"))
            .Single(c => c.Cell["seed"] == "11" && c.Cell["stage"] == "early");
        Assert.That(RunIdentity.Hash(cell), Is.EqualTo("1b43713b5e0891af"));
    }

    [Test]
    public void Runtime_expect_and_the_file_location_are_not_part_of_the_identity()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var one = Load(a, "x.yaml", Base);
        var two = Load(b, "y.yaml", Base + "\nruntime: { threads: 2, checkpoint_every: 7 }\nexpect: [effectivity_positive]\n");
        Assert.That(RunIdentity.Hash(two), Is.EqualTo(RunIdentity.Hash(one)));
    }

    [Test]
    public void Cluster_resources_are_not_part_of_the_identity_so_a_cell_resumes_after_asking_for_more_time()
    {
        using var a = new TempFolder();
        var one = Load(a, "x.yaml", Base + "\ncluster: { time_limit: \"1:00:00\", memory: 4G }\n");
        var two = Load(a, "y.yaml", Base + "\ncluster: { time_limit: \"4:00:00\", memory: 16G, partition: long, sbatch: [--qos=high] }\n");
        Assert.That(RunIdentity.Hash(two), Is.EqualTo(RunIdentity.Hash(one)));
    }

    [Test]
    public void A_training_setting_changes_the_identity_and_is_named()
    {
        using var a = new TempFolder();
        var one = Load(a, "x.yaml", Base);
        var two = Load(a, "y.yaml", Base.Replace("steps: 50", "steps: 60"));
        Assert.That(RunIdentity.Hash(two), Is.Not.EqualTo(RunIdentity.Hash(one)));
        Assert.That(RunIdentity.Differences(RunIdentity.ScenarioNode(one), RunIdentity.ScenarioNode(two)), Is.EqualTo(new[] { "training.steps: 50 → 60" }));
    }

    [Test]
    public void Input_files_are_named_by_file_name_so_a_run_is_recognised_in_another_checkout()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        a.Write("k.json", "[]");
        b.Write("k.json", "[]");
        var yaml = Base + "\ndata: { corpus: docs.txt }\n";
        a.Write("docs.txt", "x");
        b.Write("docs.txt", "x");
        Assert.That(RunIdentity.Hash(Load(b, "s.yaml", yaml)), Is.EqualTo(RunIdentity.Hash(Load(a, "s.yaml", yaml))));
    }
}

using Harness.Cluster;
using Harness.Scenarios;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cluster;

/// <summary>The <c>cluster:</c> section as the scenario reader takes it: every key, its defaults, inheritance, and the matrix leaving it alone.</summary>
public class ClusterSectionTests
{
    [Test]
    public void Every_cluster_key_is_read_and_inherited_through_extends()
    {
        using var files = new TempFolder();
        files.Write("base.yaml", """
            cluster:
              partition: gpu
              account: proj42
              gpus: 2
              cpus: 8
              memory: 64G
              time_limit: 1-00:00:00
              checkpoint_grace: 900
              max_running: 3
              sbatch: [--qos=normal, --constraint=h100]
            """);
        var cells = ScenarioLoader.Load(files.Write("child.yaml", "extends: base.yaml\ncluster: { partition: long }\nmatrix: { seed: [1, 2] }\n"));
        var expected = new ClusterSpec
        {
            Partition = "long", Account = "proj42", Gpus = 2, Cpus = 8, Memory = "64G", TimeLimit = "1-00:00:00", CheckpointGrace = 900, MaxRunning = 3,
        };
        foreach (var cell in cells)
        {
            Assert.That(cell.Cluster with { Sbatch = [] }, Is.EqualTo(expected));
            Assert.That(cell.Cluster.Sbatch, Is.EqualTo(new[] { "--qos=normal", "--constraint=h100" }));
        }
    }

    [Test]
    public void Without_a_cluster_section_everything_is_left_to_the_cluster_and_the_cells()
    {
        using var files = new TempFolder();
        var spec = ScenarioLoader.Load(files.Write("plain.yaml", "seed: 3\n")).Single().Cluster;
        Assert.That(spec with { Sbatch = [] }, Is.EqualTo(new ClusterSpec()));
        Assert.That((spec.Partition, spec.Gpus, spec.Cpus, spec.Memory, spec.TimeLimit, spec.CheckpointGrace, spec.MaxRunning, spec.Sbatch.Count),
            Is.EqualTo(((string?)null, (int?)null, (int?)null, (string?)null, (string?)null, 300, 0, 0)));
    }

    [Test]
    public void A_matrix_cannot_name_a_cluster_path_and_the_schema_offers_none()
    {
        Assert.That(ScenarioSyntax.OverridablePaths(), Has.None.StartsWith("cluster"));
        Assert.That(ScenarioSyntax.OverridablePaths(), Does.Contain("runtime.threads"));
    }
}

using Harness.Analysis;
using Harness.Data.Knowledge;
using Harness.Runs;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Runs;

/// <summary>Reading run directories: both file formats agree, and every kind of bad input names the file and row.</summary>
public class RunDirectoryTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void MakeDir() => folder = new TempFolder();

    [TearDown]
    public void RemoveDir() => folder.Dispose();

    private static SyntheticRunSpec Small => new()
    {
        Steps = 120,
        Groups = [new("dup", 2, [0, 60], 1.0, 0.2), new("ctl", 1, [], Control: true)],
        Depths = [Depth.Memorization, Depth.Semantic],
        ProbesPerDepth = 2,
        Noise = 0.01,
    };

    private string Csv => Path.Combine(folder.Path, RunDirectory.CsvFile);

    [Test]
    public void Csv_and_parquet_read_back_the_same_trajectory()
    {
        var (_, tr) = SyntheticRun.Generate(Small);
        TrajectoryCsv.Write(Csv, tr.ToRows());
        TrajectoryParquet.Write(Path.Combine(folder.Path, "t.parquet"), tr.ToRows());
        var fromCsv = TrajectoryCsv.ReadTrajectory(Csv);
        var fromParquet = TrajectoryParquet.ReadTrajectory(Path.Combine(folder.Path, "t.parquet"));
        foreach (var t in new[] { fromCsv, fromParquet })
        {
            Assert.That(t.Steps, Is.EqualTo(tr.Steps));
            Assert.That(t.Probes, Is.EqualTo(tr.Probes));
            for (int p = 0; p < tr.Probes.Length; p++) Assert.That(t.Row(p).ToArray(), Is.EqualTo(tr.Row(p).ToArray()));
        }
        Assert.That(TrajectoryParquet.Read(Path.Combine(folder.Path, "t.parquet")), Is.EqualTo(TrajectoryCsv.Read(Csv)));
    }

    [Test]
    public void Sparse_rows_in_any_order_leave_gaps_as_NaN()
    {
        File.WriteAllText(Csv, "step,item,group,depth,probe,logprob\n10,a,g,semantic,0,-2\n0,a,g,semantic,0,-3\n0,b,g,memorization,1,-1.5\r\n");
        var t = TrajectoryCsv.ReadTrajectory(Csv);
        Assert.That(t.Steps, Is.EqualTo(new[] { 0, 10 }));
        Assert.That(t.Probes, Is.EqualTo(new[] { new ProbeKey("a", "g", Depth.Semantic, 0), new ProbeKey("b", "g", Depth.Memorization, 1) }));
        Assert.That(t[0, 1], Is.EqualTo(-2));
        Assert.That(t[1, 1], Is.NaN);
    }

    private static string Error(Action read) => Assert.Throws<InputException>(() => read())!.Message;

    [Test]
    public void Malformed_row_names_file_and_line()
    {
        File.WriteAllText(Csv, "step,item,group,depth,probe,logprob\n0,a,g,semantic,0,-3\n1,a,g,semantic,zero,-3\n");
        Assert.That(Error(() => TrajectoryCsv.ReadTrajectory(Csv)), Does.StartWith($"{Csv}:3: malformed row"));
    }

    [Test]
    public void Unknown_depth_names_file_and_line()
    {
        File.WriteAllText(Csv, "step,item,group,depth,probe,logprob\n0,a,g,semantics,0,-3\n");
        Assert.That(Error(() => TrajectoryCsv.ReadTrajectory(Csv)), Does.StartWith($"{Csv}:2: unknown depth 'semantics'"));
    }

    [Test]
    public void Wrong_header_duplicate_row_and_group_change_are_errors()
    {
        File.WriteAllText(Csv, "step,item,depth,probe,logprob\n");
        Assert.That(Error(() => TrajectoryCsv.ReadTrajectory(Csv)), Does.StartWith($"{Csv}:1: header"));
        File.WriteAllText(Csv, "step,item,group,depth,probe,logprob\n0,a,g,semantic,0,-3\n0,a,g,semantic,0,-3\n");
        Assert.That(Error(() => TrajectoryCsv.ReadTrajectory(Csv)), Does.Contain("appears twice"));
        File.WriteAllText(Csv, "step,item,group,depth,probe,logprob\n0,a,g,semantic,0,-3\n0,a,h,semantic,1,-3\n");
        Assert.That(Error(() => TrajectoryCsv.ReadTrajectory(Csv)), Does.StartWith($"{Csv}:3: item 'a' is in group 'h'"));
    }

    [Test]
    public void Missing_files_are_named()
    {
        Assert.That(Error(() => RunDirectory.Load(folder.Path)), Does.Contain("manifest.json").And.Contain("not found"));
        SyntheticRun.Write(folder.Path, Small);
        File.Delete(Csv);
        Assert.That(Error(() => RunDirectory.Load(folder.Path)), Does.Contain("neither trajectory.csv nor trajectory.parquet"));
    }

    [Test]
    public void Manifest_item_without_rows_is_named()
    {
        SyntheticRun.Write(folder.Path, Small);
        var lines = File.ReadAllLines(Csv).Where(l => !l.Contains("ctl-item000")).ToArray();
        File.WriteAllLines(Csv, lines);
        Assert.That(Error(() => RunDirectory.Load(folder.Path)), Does.StartWith($"{Csv}: item 'ctl-item000' (group 'ctl') is in manifest.json but has no rows"));
    }

    [Test]
    public void Analyzing_a_bad_directory_through_the_cli_exits_2()
    {
        var entry = System.Reflection.Assembly.Load("Harness.Cli").EntryPoint!;
        var code = entry.Invoke(null, [new[] { "analyze", Path.Combine(folder.Path, "nope") }]);
        Assert.That(code, Is.EqualTo(2));
    }
}

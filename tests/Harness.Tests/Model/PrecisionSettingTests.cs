using Harness.Runs;
using Harness.Scenarios;
using Harness.Tests.Support;
using Harness.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Tests.Model;

/// <summary><c>runtime.precision</c>: read from YAML, resolved per device, applied by the run, recorded in the manifest.</summary>
public class PrecisionSettingTests
{
    [TestCase("auto", ScalarType.Float32)]
    [TestCase("fp32", ScalarType.Float32)]
    [TestCase("bf16", ScalarType.BFloat16)]
    public void Precision_resolves_on_the_cpu(string precision, ScalarType expected) =>
        Assert.That(TorchRuntime.ComputeType(precision, CPU), Is.EqualTo(expected));

    [Test]
    public void Auto_is_bf16_on_cuda() =>
        Assert.That(TorchRuntime.ComputeType("auto", new Device(TorchSharp.DeviceType.CUDA, 0)), Is.EqualTo(ScalarType.BFloat16));

    [Test]
    public void An_unknown_precision_names_the_key_and_the_choices()
    {
        var e = Assert.Throws<InputException>(() => TorchRuntime.ComputeType("fp16", CPU));
        Assert.That(e!.Message, Does.Contain("runtime.precision").And.Contain("bf16"));
    }

    [Test]
    public void The_scenario_key_defaults_to_auto_and_reads_bf16()
    {
        using var files = new TempFolder();
        Assert.That(ScenarioLoader.Load(files.Write("a.yaml", "seed: 1\n"))[0].Runtime.Precision, Is.EqualTo("auto"));
        Assert.That(ScenarioLoader.Load(files.Write("b.yaml", "runtime: { precision: bf16 }\n"))[0].Runtime.Precision, Is.EqualTo("bf16"));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(files.Write("c.yaml", "runtime: { precision: fp16 }\n")));
    }

    [Test, Category("Training")]
    public void A_run_records_the_precision_it_ran_in_and_bf16_changes_its_numbers()
    {
        var auto = TinyRun.Scenario(steps: 3);
        var bf16 = auto with { Runtime = auto.Runtime with { Precision = "bf16" } };
        using TempFolder folderA = new(), folderB = new();
        var (a, b) = (folderA.Path, folderB.Path);
        Assert.That(TrainingRun.Execute(TinyRun.Inputs(auto), a).Precision, Is.EqualTo("fp32"), "auto is fp32 on the CPU");
        TrainingRun.Execute(TinyRun.Inputs(bf16), b);
        var manifest = RunManifestFile.Read(new RunPaths(b).Manifest);
        Assert.That(manifest.Precision, Is.EqualTo("bf16"));
        Assert.That(manifest.ResolvedScenario!["runtime"]!["precision"]!.GetValue<string>(), Is.EqualTo("bf16"));
        var la = TrajectoryCsv.Read(new RunPaths(a).Trajectory).Select(r => r.LogProb).ToArray();
        var lb = TrajectoryCsv.Read(new RunPaths(b).Trajectory).Select(r => r.LogProb).ToArray();
        Assert.That(lb, Is.Not.EqualTo(la), "the bf16 run must score with bf16 matmuls");
        Assert.That(lb, Is.EqualTo(la).Within(0.05), "three updates in bf16 stay near the fp32 run");
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Analysis;
using Harness.Scenarios;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>
/// A researcher who only analyses runs made elsewhere installs the harness without the training engine. The CLI's
/// build output, stripped of Harness.Torch and everything only it brings (TorchSharp, libtorch), must still validate,
/// plan, analyze, report and check, and must refuse run with exit 2 and the reason.
/// </summary>
public class CoreOnlyInstallTests
{
    static string install = "";
    static string work = "";

    [OneTimeSetUp]
    public void StripTheTrainingEngine()
    {
        work = Directory.CreateTempSubdirectory("harness-core-only-").FullName;
        install = Path.Combine(work, "harness");
        var built = TestContext.CurrentContext.TestDirectory;
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(built, "Harness.Cli.deps.json")))!;
        var removed = TorchOnlyLibraries(deps);
        Assert.That(removed, Has.Some.StartsWith("TorchSharp/").And.Some.StartsWith("libtorch-"), "the engine's closure is found in the deps file");

        var target = Target(deps);
        var dropFiles = removed.SelectMany(lib => AssetFiles(target[lib]!)).ToHashSet(StringComparer.Ordinal);
        Directory.CreateDirectory(install);
        foreach (var file in Directory.GetFiles(built, "Harness.Cli*").Concat(Directory.GetFiles(built, "*.dll")).Concat(Directory.GetFiles(built, "*.so*")).Distinct())
        {
            var name = Path.GetFileName(file);
            if (!dropFiles.Contains(name) && !name.StartsWith("Harness.Tests", StringComparison.Ordinal) && !name.StartsWith("Harness.Findings", StringComparison.Ordinal))
                File.Copy(file, Path.Combine(install, name));
        }
        foreach (var lib in removed)
        {
            target.Remove(lib);
            deps["libraries"]!.AsObject().Remove(lib);
        }
        foreach (var (_, lib) in target)
            (lib!["dependencies"] as JsonObject)?.Remove("Harness.Torch");
        File.WriteAllText(Path.Combine(install, "Harness.Cli.deps.json"), deps.ToJsonString());

        Assert.That(Directory.GetFiles(install).Select(Path.GetFileName),
            Has.None.Matches<string>(n => n.Contains("torch", StringComparison.OrdinalIgnoreCase)), "no torch file is left");
    }

    [OneTimeTearDown]
    public void Clean()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    static JsonObject Target(JsonNode deps) => deps["targets"]!.AsObject().First(t => t.Key.Contains('/')).Value!.AsObject();

    /// <summary>Libraries reachable from Harness.Torch and from nothing else the CLI depends on.</summary>
    static IReadOnlyList<string> TorchOnlyLibraries(JsonNode deps)
    {
        var target = Target(deps);
        var byName = target.ToDictionary(t => t.Key.Split('/')[0], t => t.Key);
        IEnumerable<string> Closure(IEnumerable<string> roots, string? skip)
        {
            var seen = new HashSet<string>();
            var stack = new Stack<string>(roots);
            while (stack.Count > 0)
            {
                var key = stack.Pop();
                if (!seen.Add(key)) continue;
                if (target[key]?["dependencies"] is JsonObject d)
                    foreach (var (name, _) in d)
                        if (name != skip && byName.TryGetValue(name, out var k)) stack.Push(k);
            }
            return seen;
        }
        var cli = byName["Harness.Cli"];
        var torch = Closure([byName["Harness.Torch"]], null);
        var rest = Closure([cli], skip: "Harness.Torch");
        return torch.Except(rest).ToList();
    }

    static IEnumerable<string> AssetFiles(JsonNode lib) =>
        new[] { "runtime", "native" }.SelectMany(kind => lib[kind] is JsonObject files ? files.Select(f => Path.GetFileName(f.Key)) : []);

    static (int Code, string Output) Harness(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work };
        start.ArgumentList.Add(Path.Combine(install, "Harness.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = "400";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    const string Scenario = """
        name: analysed-elsewhere
        training: { steps: 200 }
        injection:
          groups:
            - { name: once, items: 0..7, at: [20] }
            - { name: control, items: 8..15, control: true }
        expect:
          - effectivity_positive
        """;

    [Test]
    public void Validate_plan_analyze_report_and_check_run_without_the_training_engine()
    {
        var scenario = Path.Combine(work, "analysed-elsewhere.yaml");
        File.WriteAllText(scenario, Scenario);
        var runDir = Path.Combine(work, "runs", "analysed-elsewhere");
        SyntheticRun.Write(runDir, new SyntheticRunSpec
        {
            Scenario = "analysed-elsewhere", Steps = 200, Noise = 0.02, Of = ScenarioLoader.Load(scenario).Single(),
            Groups = [new("once", 8, [20], Effectivity: 0.8), new("control", 8, [], Control: true)],
        });

        Assert.Multiple(() =>
        {
            var validate = Harness("validate", scenario);
            Assert.That(validate.Code, Is.EqualTo(0), validate.Output);
            var plan = Harness("plan", scenario);
            Assert.That(plan.Code, Is.EqualTo(0), plan.Output);
            Assert.That(plan.Output, Does.Contain("eval steps"));
            var analyze = Harness("analyze", runDir);
            Assert.That(analyze.Code, Is.EqualTo(0), analyze.Output);
            Assert.That(File.Exists(Path.Combine(runDir, "metrics.json")), Is.True);
            Assert.That(Directory.GetFiles(Path.Combine(runDir, "plots"), "*.png"), Is.Not.Empty, "plots need SkiaSharp, not torch");
            var report = Harness("report", runDir, runDir);
            Assert.That(report.Code, Is.EqualTo(0), report.Output);
            var check = Harness("check", scenario, "--out", runDir);
            Assert.That(check.Code, Is.EqualTo(0), check.Output);
            Assert.That(check.Output, Does.Contain("effectivity_positive").And.Contain("holds"));
        });
    }

    [Test]
    public void Run_without_the_training_engine_exits_2_and_names_what_is_missing()
    {
        var scenario = Path.Combine(work, "analysed-elsewhere.yaml");
        File.WriteAllText(scenario, Scenario);
        var (code, output) = Harness("run", scenario, "--out", Path.Combine(work, "never"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("no training engine").And.Contain("Harness.Torch"));
        Assert.That(output, Does.Not.Contain("internal error").And.Not.Contain("   at "));
    }
}

using System.Reflection;
using Harness.Analysis;
using NUnit.Framework;

namespace Harness.Tests.Reporting;

/// <summary>Analysis and reporting run on a laptop without libtorch: they must never touch TorchSharp.</summary>
public class NoTorchSharpTests
{
    private static readonly string[] Namespaces = ["Harness.Analysis", "Harness.Reporting"];

    [Test]
    public void SourcesOfAnalysisAndReportingDoNotMentionTorchSharp()
    {
        var src = Path.Combine(GoldenFiles.RepoRoot, "src", "Harness");
        var files = new[] { "Analysis", "Reporting" }.SelectMany(d => Directory.GetFiles(Path.Combine(src, d), "*.cs", SearchOption.AllDirectories)).ToArray();
        Assert.That(files, Is.Not.Empty);
        Assert.That(files.Where(f => File.ReadAllText(f).Contains("TorchSharp", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public void TypesOfAnalysisAndReportingExposeNoTorchSharpType()
    {
        var types = typeof(MetricsCalculator).Assembly.GetTypes().Where(t => Namespaces.Contains(t.Namespace)).ToArray();
        Assert.That(types, Is.Not.Empty);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = types.SelectMany(t =>
            t.GetFields(all).Select(f => f.FieldType)
             .Concat(t.GetProperties(all).Select(p => p.PropertyType))
             .Concat(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
             .Concat(t.GetMethods(all).SelectMany(m => m.GetMethodBody()?.LocalVariables.Select(v => v.LocalType) ?? []))
             .Append(t.BaseType ?? typeof(object)));
        Assert.That(used.Where(t => t.Assembly.GetName().Name!.StartsWith("TorchSharp", StringComparison.Ordinal)).Select(t => t.FullName).Distinct(), Is.Empty);
    }
}

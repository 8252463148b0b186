namespace Harness.Cli;

/// <summary>
/// An installation may ship without the training engine (Harness.Torch, TorchSharp, libtorch): validate, plan,
/// analyze, report and check need only Harness.Core, and run, pretrain and bench say what is missing.
/// </summary>
internal static class TrainingEngine
{
    static readonly string[] Assemblies = ["Harness.Torch", "TorchSharp"];

    public static bool IsMissing(Exception e) => e switch
    {
        FileNotFoundException f => Assemblies.Any(a => f.FileName?.StartsWith(a + ",", StringComparison.Ordinal) == true),
        DllNotFoundException d => d.Message.Contains("torch", StringComparison.OrdinalIgnoreCase),
        TypeInitializationException { InnerException: { } inner } => IsMissing(inner),
        _ => false,
    };

    public static string Missing(Exception e) =>
        $"this installation has no training engine ({What(e)}). harness run, pretrain and bench need Harness.Torch with TorchSharp and "
        + "libtorch beside the harness; validate, plan, analyze, report and check work without them. fix: install the full build "
        + "(dotnet build, or -p:TorchBackend=cuda on a GPU machine)";

    static string What(Exception e) => e switch
    {
        FileNotFoundException f => $"{f.FileName?.Split(',')[0]} not found",
        TypeInitializationException { InnerException: { } inner } => What(inner),
        _ => e.Message,
    };
}

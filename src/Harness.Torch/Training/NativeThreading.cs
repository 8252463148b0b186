using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// libtorch's OpenMP threads spin while they wait by default; on a 2-core machine shared with anything else that makes a
/// 2-thread step several times slower (docs/performance.md, "OpenMP wait policy"). libgomp reads OMP_WAIT_POLICY once,
/// when libtorch is loaded, from the native environment — which .NET's Environment.SetEnvironmentVariable does not reach
/// on Linux — so it is set with libc's setenv as soon as this library loads, unless the user chose a policy.
/// </summary>
internal static partial class NativeThreading
{
#pragma warning disable CA2255 // a library-level initializer is the point: it must run before any caller touches torch
    [ModuleInitializer]
    internal static void PreferPassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 }) return;
        SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }
#pragma warning restore CA2255

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}

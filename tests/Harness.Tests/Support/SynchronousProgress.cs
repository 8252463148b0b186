using Harness.Runs;

namespace Harness.Tests.Support;

/// <summary>
/// Progress reported on the training thread itself, so a test can act at an exact update (cancel a run at step 5);
/// <see cref="Progress{T}"/> would post to the thread pool and act late.
/// </summary>
internal sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
{
    public void Report(RunProgress value) => report(value);
}

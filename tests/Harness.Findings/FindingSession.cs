using Harness.Findings.Support;
using NUnit.Framework;

namespace Harness.Findings;

/// <summary>
/// The findings session: queues the tiny pretraining recipes and the findings scenarios' runs before any test, so that
/// they run side by side from the first test that asks (see <see cref="FindingRuns"/>), and ends them after the last.
/// </summary>
[SetUpFixture]
public class FindingSession
{
    [OneTimeSetUp]
    public void QueueRuns() => FindingRuns.Start(FindingRuns.CpuScenarios());

    [OneTimeTearDown]
    public void EndRuns() => FindingRuns.Stop();
}

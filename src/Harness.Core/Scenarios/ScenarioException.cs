using Harness.Scenarios.Yaml;

namespace Harness.Scenarios;

/// <summary>A mistake in a scenario, pointing at the node: <c>file:line:column: problem. fix: ...</c>.</summary>
public sealed class ScenarioException(SourceMark at, string problem, string fix)
    : InputException($"{at}: {problem}. fix: {fix}")
{
    public SourceMark At { get; } = at;
    public string Problem { get; } = problem;
}

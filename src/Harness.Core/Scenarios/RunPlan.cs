namespace Harness.Scenarios;

/// <summary>
/// Compiled scenario as plain data: which knowledge text goes into which batch row at which step, and where probes are
/// evaluated. Deterministic; <c>harness plan</c> prints it and tests check it without a model.
/// </summary>
public sealed record RunPlan(
    int Steps,
    int BatchSize,
    int SequenceLength,
    IReadOnlyList<PlannedInjection> Injections,
    StepSet EvalSteps,
    IReadOnlyList<ProbedItem> Items);

/// <summary>The update that turns θ_Step into θ_Step+1 sees <see cref="Variant"/> of item <see cref="ItemIndex"/> in row <see cref="Row"/>.</summary>
public sealed record PlannedInjection(int Step, int Row, int ItemIndex, string Item, string Group, int Variant, int Encounter);

/// <summary>An item whose probes are scored; controls are never injected.</summary>
public sealed record ProbedItem(int ItemIndex, string Item, string Group, bool Control);

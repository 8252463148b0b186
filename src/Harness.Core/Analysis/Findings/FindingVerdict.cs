namespace Harness.Analysis.Findings;

/// <summary>Whether a finding held, the statistic that decided it, and every number behind it.</summary>
public sealed record FindingVerdict(bool Holds, string Statistic, IReadOnlyList<string> Evidence)
{
    /// <summary>
    /// False when no statistic was computed (a parameter error, nothing to compare, no check for the kind): such a
    /// verdict fails, negated or not.
    /// </summary>
    public bool Decided { get; init; } = true;

    /// <summary>The estimates the verdict was decided on, with their bounds (empty for checks that read no interval).</summary>
    public IReadOnlyList<Harness.Analysis.Inference.Estimated> Estimates { get; init; } = [];

    /// <summary>The decisive numbers in one line (e.g. "D = 0.12 [0.05, 0.20]"), for summary tables; empty when none.</summary>
    public string Headline { get; init; } = "";

    /// <summary>This verdict with <paramref name="lines"/> (what was set aside before deciding) ahead of its evidence.</summary>
    public FindingVerdict WithEvidenceFirst(IReadOnlyList<string> lines) => lines.Count == 0 ? this : this with { Evidence = [.. lines, .. Evidence] };

    public static FindingVerdict Undecided(string why, params IReadOnlyList<string> evidence) => new(false, why, evidence) { Decided = false };

    public override string ToString() =>
        $"{(Holds ? "holds" : Decided ? "does not hold" : "not evaluated")} — {Statistic}{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Evidence);
}

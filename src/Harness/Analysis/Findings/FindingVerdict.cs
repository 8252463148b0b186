namespace Harness.Analysis.Findings;

/// <summary>Whether a finding held, the statistic that decided it, and every number behind it.</summary>
public sealed record FindingVerdict(bool Holds, string Statistic, IReadOnlyList<string> Evidence)
{
    public override string ToString() =>
        $"{(Holds ? "holds" : "does not hold")} — {Statistic}{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Evidence);
}

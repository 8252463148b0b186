namespace Harness.Runs;

/// <summary>What the progress display shows: phase (pretrain | train), update, of how many, last loss.</summary>
public readonly record struct RunProgress(string Phase, int Step, int Total, double Loss);

namespace Harness.Data.Knowledge;

/// <summary>Probe depth, as in the paper: memorization (mem), semantic (gen), composition (hard_gen).</summary>
public enum Depth { Memorization, Semantic, Composition }

using System.Text.Json.Nodes;

namespace Harness.Runs;

/// <summary>
/// A folder that one process writes and that <see cref="RunClaim"/> guards: a run directory (<see cref="RunPaths"/>) or
/// a pretraining recipe's build. It says what its writer made there, where its resume checkpoint is, what a killed
/// writer can leave half done, and which experiment its record names.
/// </summary>
public interface IClaimedFolder
{
    string Root { get; }

    /// <summary>What the folder holds, in words: "run", "pretraining build".</summary>
    string Noun { get; }

    /// <summary>The file that names the experiment, written first (<c>manifest.json</c> of a run).</summary>
    string RecordFile { get; }

    /// <summary>The resume checkpoint folder.</summary>
    string Checkpoint { get; }

    /// <summary>The checkpoint that a save swaps out; it stands alone only if a process died between the two renames.</summary>
    string PreviousCheckpoint => Checkpoint + ".old";

    /// <summary>Everything the writer made here, temporaries included: what replacing it removes.</summary>
    IEnumerable<string> Written();

    /// <summary>What a killed writer can leave behind: temporaries of atomic writes and of checkpoint saves.</summary>
    IEnumerable<string> Temporaries();

    /// <summary>The record of <see cref="RecordFile"/>; null when absent, an <see cref="InputException"/> when unreadable.</summary>
    ClaimRecord? ReadRecord();
}

/// <summary>What a claimed folder's record says: whose it is, how far it got, and what it was made of.</summary>
public sealed record ClaimRecord(string Name, string Status, JsonNode? ResolvedScenario, string? ScenarioHash, IReadOnlyList<ManifestInput>? Inputs);

namespace Harness;

/// <summary>A run that stopped on purpose (NaN loss, full disk, interruption); the run directory is resumable.</summary>
public class RunStoppedException(string message, Exception? inner = null) : Exception(message, inner);

namespace Harness;

/// <summary>
/// Bad input from the user (a scenario, a file, a run directory): the CLI prints <see cref="Exception.Message"/> and exits 2,
/// never a stack trace. The message names the file (and line, column where known) and the fix.
/// </summary>
public class InputException(string message, Exception? inner = null) : Exception(message, inner);

namespace Harness.Data.PyTorch;

/// <summary>
/// A pickle asked for something other than tensors, containers, numbers and strings (a global outside the allowed list,
/// a call of anything but a tensor rebuild, an unknown opcode). Nothing of it was executed.
/// </summary>
public sealed class UnsafePickleException(string message) : InputException(message);

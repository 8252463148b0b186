namespace Harness.Analysis.Findings;

/// <summary>A parameter an expectation lacks, does not allow or gives a bad value; its check fails with the message.</summary>
internal sealed class FindingParameterException(string message) : Exception(message);

namespace Harness.Findings;

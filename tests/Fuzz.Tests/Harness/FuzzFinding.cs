namespace Orchestrator.Fuzz.Tests.Harness;

/// <summary>An input made the code under test misbehave: the wrong exception, a hang, or an allocation out of proportion.</summary>
public sealed class FuzzFinding(string message, Exception? inner = null) : Exception(message, inner);

namespace Orchestrator.Minion.Modules.States;

/// <summary>An execution function a state depends on failed; the runner turns it into a failed state.</summary>
public sealed class StateCallException(string message) : Exception(message);

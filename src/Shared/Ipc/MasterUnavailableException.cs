namespace Orchestrator.Shared.Ipc;

/// <summary>The master's local socket cannot be reached.</summary>
public sealed class MasterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace Orchestrator.Shared.Ipc;

/// <summary>The master refused or failed a request; the message says why.</summary>
public sealed class MasterRequestException(string message) : Exception(message);

namespace Orchestrator.Minion.Transport;

/// <summary>A request to the master got no (valid) reply in time.</summary>
public sealed class MasterUnreachableException(string message) : Exception(message);

namespace Orchestrator.Minion.Modules.States;

/// <summary>A remote source could not be fetched; the message says why.</summary>
internal sealed class RemoteSourceException(string message) : Exception(message);

namespace Orchestrator.Minion.Transport;

/// <summary>The master presented a key that is not the pinned or configured one.</summary>
public sealed class MasterKeyRefusedException(string message) : Exception(message);

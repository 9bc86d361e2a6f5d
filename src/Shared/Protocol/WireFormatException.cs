namespace Orchestrator.Shared.Protocol;

/// <summary>A frame or body that could not be decoded: it is dropped and counted, never allowed to crash a daemon.</summary>
public sealed class WireFormatException(string message, Exception? inner = null) : Exception(message, inner);

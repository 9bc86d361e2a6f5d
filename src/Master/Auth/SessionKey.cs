namespace Orchestrator.Master.Auth;

/// <summary>One generation of the publish session key.</summary>
public sealed record SessionKey(int Generation, byte[] Key);

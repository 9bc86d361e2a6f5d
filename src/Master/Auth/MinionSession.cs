namespace Orchestrator.Master.Auth;

/// <summary>An authenticated minion: its per-minion key and where to send replies.</summary>
public sealed class MinionSession(string id, byte[] key, byte[] routingId)
{
    public string Id { get; } = id;

    /// <summary>AES-256 key for requests and replies between this minion and the master; only the two of them know it.</summary>
    public byte[] Key { get; } = key;

    public byte[] RoutingId { get; set; } = routingId;
}

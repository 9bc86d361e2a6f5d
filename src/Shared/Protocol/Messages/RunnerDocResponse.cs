using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: every runner function of the master (<c>jobs.lookup_jid</c>, ...) with its doc.</summary>
[MessagePackObject]
public sealed class RunnerDocResponse
{
    /// <summary>Function name → doc.</summary>
    [Key(0)]
    public Dictionary<string, string> Docs { get; set; } = new(StringComparer.Ordinal);
}

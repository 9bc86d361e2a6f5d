using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: list the master's runner functions with their docs; the minion selects from the whole list.</summary>
[MessagePackObject]
public sealed class RunnerDocRequest
{
}

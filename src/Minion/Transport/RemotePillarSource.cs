using Orchestrator.Shared.States;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Transport;

/// <summary>Asks the master to compile this minion's pillar; the reply is sealed with this minion's own key.</summary>
public sealed class RemotePillarSource(MasterConnection connection, TimeSpan timeout) : IPillarSource
{
    public async Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
    {
        var (kind, body) = await connection.RequestAsync(MessageType.PillarRequest, WireCodec.Serialize(new PillarRequest
        {
            Saltenv = saltenv,
        }), timeout, cancellationToken).ConfigureAwait(false);
        if (kind != MessageType.PillarResponse)
        {
            throw new ModuleException($"unexpected reply {kind} to a pillar request");
        }
        var response = WireCodec.Deserialize<PillarResponse>(body);
        return PillarErrors.Attach(WireCodec.ToMap(response.Pillar), response.Errors);
    }
}

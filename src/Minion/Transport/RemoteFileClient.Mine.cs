using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Transport;

/// <summary>The mine requests, over this minion's sealed session (the master files them under the session's minion id).</summary>
public sealed partial class RemoteFileClient
{
    public async Task SendMineAsync(Dictionary<string, object?> data, bool clear, CancellationToken cancellationToken) =>
        Expect(await MineRequestAsync(MessageType.MineUpdate, WireCodec.Serialize(new MineUpdate { Data = data, Clear = clear }),
            "store its mine data", cancellationToken).ConfigureAwait(false), MessageType.Ack, "storing mine data");

    public async Task<Dictionary<string, object?>> GetMineAsync(
        string target, string targetType, IReadOnlyList<string> functions, bool byFunction, CancellationToken cancellationToken)
    {
        var reply = await MineRequestAsync(MessageType.MineGetRequest, WireCodec.Serialize(new MineGetRequest
        {
            Target = target,
            TargetType = targetType,
            Functions = [.. functions],
            ByFunction = byFunction,
        }), "answer mine.get", cancellationToken).ConfigureAwait(false);
        Expect(reply, MessageType.MineGetResponse, "reading the mine");
        return WireCodec.ToMap(WireCodec.Deserialize<MineGetResponse>(reply.Body).Data);
    }

    public async Task DeleteMineAsync(string function, CancellationToken cancellationToken) =>
        Expect(await MineRequestAsync(MessageType.MineDelete, WireCodec.Serialize(new MineDelete { Function = function }),
            "delete mine data", cancellationToken).ConfigureAwait(false), MessageType.Ack, "deleting mine data");

    public async Task FlushMineAsync(CancellationToken cancellationToken) =>
        Expect(await MineRequestAsync(MessageType.MineFlush, [], "flush the mine", cancellationToken).ConfigureAwait(false),
            MessageType.Ack, "flushing the mine");

    private async Task<(MessageType Kind, byte[] Body)> MineRequestAsync(MessageType kind, byte[] body, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.RequestAsync(kind, body, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MasterUnreachableException e)
        {
            throw new ModuleException($"the master did not {what}: {e.Message}");
        }
        catch (ReauthRequiredException)
        {
            throw new ModuleException("the master no longer knows this minion's session; try again once it has authenticated");
        }
    }

    private static void Expect((MessageType Kind, byte[] Body) reply, MessageType expected, string what)
    {
        if (reply.Kind == expected)
        {
            return;
        }
        throw reply.Kind == MessageType.Error
            ? new ModuleException($"the master refused {what}: {WireCodec.Deserialize<ErrorMessage>(reply.Body).Message}")
            : new ModuleException($"unexpected reply {reply.Kind} {what}");
    }
}

using Microsoft.Extensions.Logging;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Mine;

/// <summary>
/// The master's side of the mine requests (Salt's <c>_mine</c>, <c>_mine_get</c>, <c>_mine_delete</c>, <c>_mine_flush</c>).
/// The minion is always the one whose key sealed the request: a minion writes, deletes and flushes only its own mine.
/// </summary>
public sealed class MineHandler(MineStore store, MineQuery query, ILogger<MineHandler> logger)
{
    /// <summary>The kinds this handler answers.</summary>
    public static readonly IReadOnlySet<MessageType> Kinds = new HashSet<MessageType>
    {
        MessageType.MineUpdate, MessageType.MineGetRequest, MessageType.MineDelete, MessageType.MineFlush,
    };

    /// <summary>Handles one request from <paramref name="minionId"/>; returns the reply's kind and body.</summary>
    /// <exception cref="WireFormatException">The body is malformed.</exception>
    public (MessageType Kind, byte[] Body) Handle(string minionId, MessageType kind, byte[] plaintext)
    {
        switch (kind)
        {
            case MessageType.MineUpdate:
                var update = WireCodec.Deserialize<MineUpdate>(plaintext);
                var data = WireCodec.ToMap(update.Data);
                if (store.Update(minionId, data, update.Clear, out var bytes) is { } refused)
                {
                    MineLog.UpdateRefused(logger, minionId, refused);
                    return Error(refused);
                }
                MineLog.Updated(logger, minionId, string.Join(",", data.Keys), update.Clear, bytes);
                return (MessageType.Ack, []);
            case MessageType.MineDelete:
                var function = WireCodec.Deserialize<MineDelete>(plaintext).Function;
                if (store.Delete(minionId, function))
                {
                    MineLog.Deleted(logger, minionId, function);
                }
                return (MessageType.Ack, []);
            case MessageType.MineFlush:
                store.Flush(minionId);
                MineLog.Flushed(logger, minionId);
                return (MessageType.Ack, []);
            case MessageType.MineGetRequest:
                var request = WireCodec.Deserialize<MineGetRequest>(plaintext);
                try
                {
                    var found = query.Get(minionId, request.Target, request.TargetType, request.Functions, request.ByFunction);
                    return (MessageType.MineGetResponse, WireCodec.Serialize(new MineGetResponse { Data = found }));
                }
                catch (TargetException e)
                {
                    MineLog.GetRefused(logger, minionId, e.Message);
                    return Error(e.Message);
                }
            default:
                return Error($"{kind} is not a mine request");
        }
    }

    private static (MessageType, byte[]) Error(string message) =>
        (MessageType.Error, WireCodec.Serialize(new ErrorMessage { Message = message }));
}

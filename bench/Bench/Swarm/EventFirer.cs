using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Bench.Swarm;

/// <summary>
/// One simulated minion's share of an <see cref="EventLoad"/>: sends <c>EventFire</c> requests shaped as the real minion's
/// <c>event.send</c> sends them (<c>{id, tag, data, cmd: _minion_event}</c>), paced by the rate and by the window of
/// requests awaiting an ack, and counts acks, refusals and requests that got no answer within the time-out. An event
/// is sent once, never re-sent, so the subscribers' counts can be compared with the acks. Owned by the minion's loop thread.
/// </summary>
public sealed class EventFirer(EventLoad load, string minionId, SwarmCounters counters, long startMs, long timeoutMs)
{
    // Requests awaiting their answer: request nonce (hex) -> loop time sent.
    private readonly Dictionary<string, long> _inFlight = new(StringComparer.Ordinal);
    private readonly string _tag = $"{load.TagPrefix}/{minionId}";
    private int _sent;

    public bool Done { get; private set; }

    /// <summary>Sends what the rate and the window allow now; expires requests past the time-out; returns true once done.</summary>
    public bool Pump(long nowMs, Func<byte[], byte[]?> send)
    {
        if (Done)
        {
            return true;
        }
        foreach (var (nonce, sentMs) in _inFlight)
        {
            if (nowMs - sentMs > timeoutMs)
            {
                _inFlight.Remove(nonce);
                Interlocked.Increment(ref counters.EventsTimedOut);
            }
        }
        var due = load.RatePerSecond > 0
            ? Math.Min(load.Count, (long)((nowMs - startMs) * load.RatePerSecond / 1000.0) + 1)
            : load.Count;
        while (_sent < due && _inFlight.Count < load.Window)
        {
            var nonce = send(Body(load.FirstSeq + _sent));
            _sent++;
            Interlocked.Increment(ref counters.EventsSent);
            if (nonce is null)
            {
                // Refused at the DEALER's high-water mark or not authenticated: counted by the minion; the event is lost.
                Interlocked.Increment(ref counters.EventsUnsent);
                continue;
            }
            _inFlight[Convert.ToHexString(nonce)] = nowMs;
        }
        if (_sent >= load.Count && _inFlight.Count == 0)
        {
            Done = true;
            Interlocked.Increment(ref counters.EventMinionsDone);
            SwarmCounters.Max(ref counters.EventsLastDoneMs, nowMs);
        }
        return Done;
    }

    /// <summary>Takes the master's answer to one of this firer's requests; false when the reply is not one of ours.</summary>
    public bool OnReply(Envelope reply)
    {
        if (reply.ReplyTo is not { } replyTo || !_inFlight.Remove(Convert.ToHexString(replyTo)))
        {
            return false;
        }
        if (reply.Kind == MessageType.Ack)
        {
            Interlocked.Increment(ref counters.EventsAcked);
        }
        else
        {
            Interlocked.Increment(ref counters.EventsRefused);
        }
        return true;
    }

    private byte[] Body(long seq) => WireCodec.Serialize(new EventFire
    {
        Tag = _tag,
        Data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = minionId,
            ["tag"] = _tag,
            // Wall-clock microseconds at send: the subscribers (same machine, same clock) compute delivery latency from it.
            ["data"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["seq"] = seq,
                ["sent_us"] = UnixMicros(),
            },
            ["cmd"] = "_minion_event",
        },
    });

    /// <summary>Wall-clock time in microseconds since the Unix epoch.</summary>
    public static long UnixMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}

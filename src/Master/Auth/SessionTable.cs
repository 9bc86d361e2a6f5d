using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Master.Auth;

/// <summary>
/// The live sessions by minion id: the request processor opens and closes them, the dispatcher sends through them. It also
/// knows which ROUTER connections belong to a session, so the transport can tell an authenticated peer's frame from a
/// stranger's before queueing it.
/// </summary>
public sealed class SessionTable
{
    private readonly ConcurrentDictionary<string, MinionSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _routes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count => _sessions.Count;

    public IReadOnlyCollection<string> Ids => _sessions.Keys.ToList();

    /// <summary>A moment's copy of the sessions (the table keeps changing under it).</summary>
    public IReadOnlyList<MinionSession> Snapshot() => _sessions.Values.ToList();

    public bool TryGet(string id, [MaybeNullWhen(false)] out MinionSession session) => _sessions.TryGetValue(id, out session);

    public void Set(MinionSession session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(session.Id, out var previous))
            {
                _routes.TryRemove(Convert.ToHexString(previous.RoutingId), out _);
            }
            _sessions[session.Id] = session;
            _routes[Convert.ToHexString(session.RoutingId)] = session.Id;
        }
    }

    /// <summary>Records that <paramref name="session"/> now speaks from <paramref name="routingId"/> (a reconnected DEALER).</summary>
    public void Route(MinionSession session, byte[] routingId)
    {
        if (session.RoutingId.AsSpan().SequenceEqual(routingId))
        {
            return;
        }
        lock (_lock)
        {
            _routes.TryRemove(Convert.ToHexString(session.RoutingId), out _);
            session.RoutingId = routingId;
            if (_sessions.TryGetValue(session.Id, out var current) && current == session)
            {
                _routes[Convert.ToHexString(routingId)] = session.Id;
            }
        }
    }

    /// <summary>Whether a frame from <paramref name="routingId"/> comes from a connection with a live session.</summary>
    public bool IsRoute(byte[] routingId) => _routes.ContainsKey(Convert.ToHexString(routingId));

    public bool Remove(string id)
    {
        lock (_lock)
        {
            if (!_sessions.TryRemove(id, out var session))
            {
                return false;
            }
            _routes.TryRemove(Convert.ToHexString(session.RoutingId), out _);
            return true;
        }
    }
}

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
    private readonly ConcurrentDictionary<string, MinionSession[]> _calls = new(StringComparer.Ordinal);

    /// <summary>How many <c>orch call</c> sessions one id keeps beside its daemon's; the oldest goes first.</summary>
    public const int MaxCallSessions = 4;
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

    /// <summary>
    /// Adds an <c>orch call</c> session for an id beside its daemon's session, which it must not replace: the daemon keeps
    /// receiving jobs and its replies, the call gets its own key. Call sessions are never fanned out to.
    /// </summary>
    public void SetCall(MinionSession session)
    {
        lock (_lock)
        {
            var calls = _calls.GetValueOrDefault(session.Id) ?? [];
            foreach (var dropped in calls.Skip(MaxCallSessions - 1))
            {
                _routes.TryRemove(Convert.ToHexString(dropped.RoutingId), out _);
            }
            _calls[session.Id] = [session, .. calls.Take(MaxCallSessions - 1)];
            _routes[Convert.ToHexString(session.RoutingId)] = session.Id;
        }
    }

    /// <summary>Every session that may have sealed a frame from <paramref name="id"/>: the daemon's first, then its calls.</summary>
    public IEnumerable<MinionSession> Candidates(string id)
    {
        if (_sessions.TryGetValue(id, out var session))
        {
            yield return session;
        }
        foreach (var call in _calls.GetValueOrDefault(id) ?? [])
        {
            yield return call;
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
            if ((_sessions.TryGetValue(session.Id, out var current) && current == session)
                || (_calls.GetValueOrDefault(session.Id)?.Contains(session) ?? false))
            {
                _routes[Convert.ToHexString(routingId)] = session.Id;
            }
        }
    }

    /// <summary>Whether a frame from <paramref name="routingId"/> comes from a connection with a live session.</summary>
    public bool IsRoute(byte[] routingId) => _routes.ContainsKey(Convert.ToHexString(routingId));

    /// <summary>Ends every session of <paramref name="id"/>, the daemon's and its calls'.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            var removed = false;
            if (_calls.TryRemove(id, out var calls))
            {
                foreach (var call in calls)
                {
                    _routes.TryRemove(Convert.ToHexString(call.RoutingId), out _);
                }
                removed = true;
            }
            if (_sessions.TryRemove(id, out var session))
            {
                _routes.TryRemove(Convert.ToHexString(session.RoutingId), out _);
                removed = true;
            }
            return removed;
        }
    }
}

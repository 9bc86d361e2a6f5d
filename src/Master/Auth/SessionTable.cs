using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Master.Auth;

/// <summary>The live sessions by minion id: the request processor opens and closes them, the dispatcher sends through them.</summary>
public sealed class SessionTable
{
    private readonly ConcurrentDictionary<string, MinionSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IReadOnlyCollection<string> Ids => _sessions.Keys.ToList();

    /// <summary>A moment's copy of the sessions (the table keeps changing under it).</summary>
    public IReadOnlyList<MinionSession> Snapshot() => _sessions.Values.ToList();

    public bool TryGet(string id, [MaybeNullWhen(false)] out MinionSession session) => _sessions.TryGetValue(id, out session);

    public void Set(MinionSession session) => _sessions[session.Id] = session;

    public bool Remove(string id) => _sessions.TryRemove(id, out _);
}

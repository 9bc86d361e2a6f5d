using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// rest_cherrypy's <c>format_events</c> for <c>/ws</c> (its <c>event_processor.SaltInfo</c>): instead of raw events, the
/// websocket gets a live view, <c>{"jobs": {jid: {jid, start_time, minions: {id: {return, retcode, success}}, fun, tgt,
/// tgt_type, state}}}</c> after each job event and <c>{"minions": [{id, grains}]}</c> after key, presence and
/// <c>grains.items</c> events. Where SaltInfo starts a <c>grains.items</c> job for a newly present minion, this takes the
/// grains the master has cached (<paramref name="grains"/>), so watching the socket never publishes a job.
/// </summary>
public sealed class SaltInfoFormatter(Func<string, Dictionary<string, object?>> grains)
{
    /// <summary>Jobs the view keeps; older ones leave it (SaltInfo keeps all, which grows without end on a busy master).</summary>
    public const int MaxJobs = 500;

    private readonly Queue<string> _jobOrder = new();
    private readonly Dictionary<string, Dictionary<string, object?>> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, object?>> _minions = new(StringComparer.Ordinal);

    /// <summary>The messages (JSON text) one event gives; none for events SaltInfo ignores.</summary>
    public List<string> Process(string tag, Dictionary<string, object?> data)
    {
        var messages = new List<string>();
        var parts = tag.Split('/');
        if (parts.Length < 2)
        {
            return messages;
        }
        switch (parts[1])
        {
            case "job" when parts.Length >= 4 && parts[3] == "new":
                NewJob(data);
                messages.Add(Jobs());
                if (data.GetValueOrDefault("fun") is "grains.items")
                {
                    _minions.Clear();
                }
                break;
            case "job" when parts.Length >= 5 && parts[3] == "ret":
                Returned(parts[2], parts[4], data);
                messages.Add(Jobs());
                if (data.GetValueOrDefault("fun") is "grains.items")
                {
                    Minion(parts[4])["grains"] = data.GetValueOrDefault("return");
                    messages.Add(Minions());
                }
                break;
            case "key":
                var id = data.GetValueOrDefault("id") as string ?? "";
                if (data.GetValueOrDefault("act") is "delete")
                {
                    _minions.Remove(id);
                }
                else if (data.GetValueOrDefault("act") is "accept")
                {
                    Minion(id);
                }
                messages.Add(Minions());
                break;
            case "presence" when data.GetValueOrDefault("present") is List<object?> present:
                if (Present(present.OfType<string>().ToHashSet(StringComparer.Ordinal)))
                {
                    messages.Add(Minions());
                }
                break;
        }
        return messages;
    }

    private void NewJob(Dictionary<string, object?> data)
    {
        if (data.GetValueOrDefault("jid") is not string jid)
        {
            return;
        }
        var minions = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var id in (data.GetValueOrDefault("minions") as List<object?> ?? []).OfType<string>())
        {
            minions[id] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["success"] = false };
        }
        Remember(jid);
        _jobs[jid] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["jid"] = jid,
            ["start_time"] = data.GetValueOrDefault("_stamp"),
            ["minions"] = minions,
            ["fun"] = data.GetValueOrDefault("fun"),
            ["tgt"] = data.GetValueOrDefault("tgt"),
            ["tgt_type"] = data.GetValueOrDefault("tgt_type"),
            ["state"] = "running",
        };
    }

    private void Returned(string jid, string id, Dictionary<string, object?> data)
    {
        if (!_jobs.TryGetValue(jid, out var job))
        {
            Remember(jid);
            _jobs[jid] = job = new Dictionary<string, object?>(StringComparer.Ordinal) { ["minions"] = new Dictionary<string, object?>(StringComparer.Ordinal) };
        }
        var minions = (Dictionary<string, object?>)job["minions"]!;
        if (minions.GetValueOrDefault(id) is not Dictionary<string, object?> minion)
        {
            minions[id] = minion = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        minion["return"] = data.GetValueOrDefault("return");
        minion["retcode"] = data.GetValueOrDefault("retcode");
        minion["success"] = data.GetValueOrDefault("success");
        if (minions.Values.All(m => m is Dictionary<string, object?> each && DataTree.IsTruthy(each.GetValueOrDefault("success"))))
        {
            job["state"] = "complete";
        }
    }

    private void Remember(string jid)
    {
        if (_jobs.ContainsKey(jid))
        {
            return;
        }
        _jobOrder.Enqueue(jid);
        while (_jobOrder.Count > MaxJobs)
        {
            _jobs.Remove(_jobOrder.Dequeue());
        }
    }

    private bool Present(HashSet<string> present)
    {
        var changed = false;
        foreach (var gone in _minions.Keys.Where(id => !present.Contains(id)).ToList())
        {
            _minions.Remove(gone);
            changed = true;
        }
        foreach (var id in present.Where(id => !_minions.ContainsKey(id)))
        {
            Minion(id)["grains"] = grains(id);
            changed = true;
        }
        return changed;
    }

    private Dictionary<string, object?> Minion(string id)
    {
        if (!_minions.TryGetValue(id, out var minion))
        {
            _minions[id] = minion = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        return minion;
    }

    private string Jobs() => PythonJson.Dumps(new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["jobs"] = _jobs.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal),
    }, ensureAscii: false);

    private string Minions() => PythonJson.Dumps(new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["minions"] = _minions.Select(p =>
        {
            var entry = new Dictionary<string, object?>(p.Value, StringComparer.Ordinal) { ["id"] = p.Key };
            return (object?)entry;
        }).ToList(),
    }, ensureAscii: false);
}

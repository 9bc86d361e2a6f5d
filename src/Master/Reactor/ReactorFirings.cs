using Orchestrator.Master.Events;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// The reactor's most recent firings (<c>orch run reactor.history</c>, ours; the web console's reactors page): for each
/// action a matching event led to, when, which rule and event, what ran and how it ended. Bounded: the oldest go first.
/// </summary>
public sealed class ReactorFirings(TimeProvider time, int capacity = 200)
{
    private readonly Queue<Dictionary<string, object?>> _firings = new();
    private readonly Lock _gate = new();

    internal void Record(string rule, string tag, ReactorAction action, string outcome, string detail)
    {
        var firing = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["_stamp"] = EventBus.Stamp(time.GetUtcNow()),
            ["rule"] = rule,
            ["tag"] = tag,
            ["id"] = action.Id,
            ["fun"] = action.Fun,
            ["outcome"] = outcome,
            ["detail"] = detail,
        };
        lock (_gate)
        {
            _firings.Enqueue(firing);
            while (_firings.Count > capacity)
            {
                _firings.Dequeue();
            }
        }
    }

    /// <summary>The newest firings first, at most <paramref name="count"/>.</summary>
    public List<object?> Newest(int count)
    {
        lock (_gate)
        {
            return [.. _firings.Reverse().Take(Math.Max(0, count)).Select(f => (object?)new Dictionary<string, object?>(f, StringComparer.Ordinal))];
        }
    }
}

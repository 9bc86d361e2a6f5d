using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;

namespace Orchestrator.Master.Events;

/// <summary>
/// Salt's presence events (<c>presence_events: True</c>): every <c>loop_interval</c> the accepted minions heard from within
/// <c>presence_timeout</c> go out as <c>salt/presence/present</c> <c>{present: [...]}</c>, and when that set changed, as
/// <c>salt/presence/change</c> <c>{new: [...], lost: [...]}</c>.
/// </summary>
public sealed class PresenceWatcher(
    MasterOptions options, KeyStore keys, MinionDirectory minions, EventBus events, TimeProvider time, ILogger<PresenceWatcher> logger)
{
    private HashSet<string> _present = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.PresenceEvents)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.LoopInterval, time);
        do
        {
            try
            {
                Check();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                MasterLog.MaintenanceFailed(logger, e, "presence");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One round: fires present, and change when the set differs from the last round's.</summary>
    public void Check()
    {
        var now = time.GetUtcNow();
        var present = keys.List(KeyState.Accepted)
            .Where(id => minions.IsUp(id, now, options.PresenceTimeout))
            .ToHashSet(StringComparer.Ordinal);
        var gained = present.Except(_present).Order(StringComparer.Ordinal).Cast<object?>().ToList();
        var lost = _present.Except(present).Order(StringComparer.Ordinal).Cast<object?>().ToList();
        _present = present;
        if (gained.Count > 0 || lost.Count > 0)
        {
            events.Publish(EventTag.PresenceChange, new(StringComparer.Ordinal) { ["new"] = gained, ["lost"] = lost });
        }
        events.Publish(EventTag.PresencePresent, new(StringComparer.Ordinal)
        {
            ["present"] = present.Order(StringComparer.Ordinal).Cast<object?>().ToList(),
        });
    }
}

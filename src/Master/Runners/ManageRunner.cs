using Orchestrator.Master.Keys;

namespace Orchestrator.Master.Runners;

/// <summary>The <c>manage</c> runner: which accepted minions are up, from their last contact with the master.</summary>
public static class ManageRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("manage.status", "Accepted minions split into up and down by recent contact.", Status),
        new("manage.up", "Accepted minions in recent contact.", (ctx, _, _) => Split(ctx).Up),
        new("manage.down", "Accepted minions not heard from within presence_timeout.", (ctx, _, _) => Split(ctx).Down),
        new("manage.last_seen", "When each accepted minion was last heard from (ours; null: not since the master started).", LastSeen),
        new("manage.present", "Minions with a live authenticated session.", (ctx, _, _) =>
            ctx.Requests.Connected.Order(StringComparer.Ordinal).Cast<object?>().ToList()),
        new("manage.stats", "Transport counters: requests received (acks, returns), dropped frames by reason, publishes, re-sends and back-pressure.", (ctx, _, _) => ctx.Metrics.Snapshot()),
    ];

    private static object? Status(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var (up, down) = Split(ctx);
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["up"] = up, ["down"] = down };
    }

    private static object? LastSeen(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs) =>
        ctx.Keys.List(KeyState.Accepted).ToDictionary(
            id => id, id => ctx.Minions.LastSeen(id) is { } seen ? (object?)Events.EventBus.Stamp(seen) : null, StringComparer.Ordinal);

    private static (List<object?> Up, List<object?> Down) Split(RunnerContext ctx)
    {
        var now = ctx.Time.GetUtcNow();
        var up = new List<object?>();
        var down = new List<object?>();
        foreach (var id in ctx.Keys.List(KeyState.Accepted))
        {
            (ctx.Minions.IsUp(id, now, ctx.Options.PresenceTimeout) ? up : down).Add(id);
        }
        return (up, down);
    }
}

using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Runners;

/// <summary>The <c>event</c> runner: fire an event on the master's bus (salt-run event.send).</summary>
public static class EventRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("event.send", "Fire an event on the master's bus: orch run event.send my/tag data='{\"k\": 1}' (data a mapping, as JSON or YAML).", Send),
    ];

    private static object? Send(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var tag = (kwargs.GetValueOrDefault("tag") ?? args.ElementAtOrDefault(0)) is { } t ? DataTree.KeyToString(t) : "";
        if (string.IsNullOrWhiteSpace(tag) || tag.Any(char.IsControl) || tag.Length > 512)
        {
            throw new ArgumentException("event.send needs a tag (up to 512 characters, no control characters): orch run event.send my/tag data='{...}'");
        }
        var data = (kwargs.GetValueOrDefault("data") ?? args.ElementAtOrDefault(1)) switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            Dictionary<string, object?> map => new Dictionary<string, object?>(map, StringComparer.Ordinal),
            var other => throw new ArgumentException($"event.send: data must be a mapping, got {DataTree.ToJson(other, indent: false)}"),
        };
        ctx.Events.Publish(tag, data);
        return true;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Master.Runners;

/// <summary>The <c>reactor</c> runner: the reactor's rules, a dry run of an event, its counters, and rules at run time.</summary>
public static class ReactorRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("reactor.list", "The reactor rules in force, as Salt prints them: a list of {tag glob: [sls files]}.",
            (ctx, _, _) => Engine(ctx).Rules.Select(r => (object?)r.Describe()).ToList()),
        new("reactor.test",
            "Render the reactors an event would trigger and list the actions they would run, running nothing: tag=<tag> data='{...}'.",
            Test),
        new("reactor.stats",
            "Reactor counters: matched, run, rate_limited, deduplicated, dropped, render_errors, failed, and what is queued now.",
            (ctx, _, _) => Engine(ctx).Stats.Snapshot(Engine(ctx).Queued)),
        new("reactor.history",
            "The latest actions the reactor ran, skipped or failed, newest first (ours; count=50): when, rule, event tag, function, outcome.",
            (ctx, args, kwargs) => Engine(ctx).Firings.Newest(Count(args, kwargs))),
        new("reactor.add", "Add a rule until the master restarts: event=<tag glob> reactors=<sls file or list>.", Add),
        new("reactor.delete", "Delete the rule of a tag glob until the master restarts: event=<tag glob>.", Delete),
    ];

    private static int Count(List<object?> args, Dictionary<string, object?> kwargs) =>
        (kwargs.GetValueOrDefault("count") ?? args.FirstOrDefault()) switch
        {
            null => 50,
            long n and >= 0 and <= int.MaxValue => (int)n,
            var other => throw new ArgumentException($"reactor.history: count must be a non-negative number, not '{other}'"),
        };

    private static ReactorEngine Engine(RunnerContext ctx) => ctx.Services.GetRequiredService<ReactorEngine>();

    private static string Required(List<object?> args, Dictionary<string, object?> kwargs, string name, int position, string usage) =>
        (kwargs.GetValueOrDefault(name) ?? args.ElementAtOrDefault(position)) is { } value && DataTree.KeyToString(value) is { Length: > 0 } text
            ? text
            : throw new ArgumentException($"{name} is required: orch run {usage}");

    private static object? Test(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        const string usage = "reactor.test tag=<tag> data='{\"id\": \"web1\"}'";
        var tag = Required(args, kwargs, "tag", 0, usage);
        var data = (kwargs.GetValueOrDefault("data") ?? args.ElementAtOrDefault(1)) switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            Dictionary<string, object?> map => map,
            string text when YamlLoader.Load(text, "data") is Dictionary<string, object?> parsed => parsed,
            var other => throw new ArgumentException($"data must be a mapping, got {DataTree.ToJson(other, false)}: orch run {usage}"),
        };
        var result = Engine(ctx).Test(tag, data);
        // A reactor that would fail to render or compile is shown, and the command fails, as the event would.
        return result is Dictionary<string, object?> shown && shown.GetValueOrDefault("errors") is List<object?> { Count: > 0 }
            ? new RunnerResult(result, 1)
            : result;
    }

    private static object? Add(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        const string usage = "reactor.add event='my/tag/*' reactors=/srv/reactor/x.sls";
        var tag = Required(args, kwargs, "event", 0, usage);
        var files = (kwargs.GetValueOrDefault("reactors") ?? args.ElementAtOrDefault(1)) switch
        {
            string { Length: > 0 } one => [one],
            List<object?> list when list.Count > 0 && list.All(f => f is string { Length: > 0 }) => list.Cast<string>().ToList(),
            _ => throw new ArgumentException($"reactors is required (an sls file or a list of them): orch run {usage}"),
        };
        return Engine(ctx).Add(tag, files);
    }

    private static object? Delete(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs) =>
        Engine(ctx).Delete(Required(args, kwargs, "event", 0, "reactor.delete event='my/tag/*'"));
}

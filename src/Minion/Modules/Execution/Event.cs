using Orchestrator.Minion.Events;
using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>event</c> module: fire events from a minion to the master's bus (where reactors answer them) or to the minion's
/// own bus. On the master, an event sent this way carries Salt's shape: <c>{id, tag, data: {...}, cmd: _minion_event}</c>,
/// so a reactor reads the payload as <c>data['data']</c>.
/// </summary>
[ExecutionModule("event")]
public sealed class EventModule : IExecutionModule
{
    public EventModule()
    {
        Functions =
        [
            new("send", "Send an event to the master's bus. data is a mapping; extra keyword arguments join it. with_grains and " +
                "with_pillar add all grains/pillar (True) or the listed keys; with_env adds the environment.\n\n" +
                "CLI Example: orch call event.send 'myco/mytag' '{\"k\": 1}' foo=bar with_grains='[os, id]'",
                [Req("tag"), Opt("data"), Opt("preload"), Opt("with_env", false), Opt("with_grains", false), Opt("with_pillar", false),
                 Opt("with_env_opts", false), Opt("timeout", 60L)],
                SendAsync, AcceptsExtraArgs: true),
            new("fire_master", "Fire an event to the master's bus (data first, then tag).\n\n" +
                "CLI Example: orch call event.fire_master '{\"data\": \"my event data\"}' 'tag'",
                [Req("data"), Req("tag"), Opt("preload")], FireMasterAsync),
            new("fire", "Fire an event on this minion's local bus, where the minion's own handlers listen.\n\n" +
                "CLI Example: orch call event.fire '{\"data\": \"my event data\"}' 'tag'",
                [Req("data"), Req("tag"), Opt("timeout")], Fire),
        ];
    }

    public string Doc => "Fire events to the master's event bus or this minion's own bus.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static IMinionEvents Events(ModuleCall call) =>
        call.Context.Events ?? throw new ModuleException($"{call.Function}: this minion has no event bus");

    private static async Task<object?> SendAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var payload = Preloaded(call);
        foreach (var (key, value) in Mapping(call, "data") ?? [])
        {
            payload[key] = value;
        }
        foreach (var (key, value) in call.ExtraKwargs)
        {
            payload[key] = value;
        }
        if (call.GetBool("with_env"))
        {
            payload["environ"] = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (object?)e.Value?.ToString(), StringComparer.Ordinal);
        }
        if (call.GetBool("with_env_opts"))
        {
            payload["saltenv"] = call.Context.Opt("saltenv") ?? "base";
            payload["pillarenv"] = call.Context.Opt("pillarenv");
        }
        AddSelected(payload, "grains", call["with_grains"], call.Context.Grains);
        AddSelected(payload, "pillar", call["with_pillar"], call.Context.Pillar);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, call.GetInt("timeout") ?? 60)));
        return await ToMasterAsync(call, call.RequireString("tag"), payload, timeout.Token).ConfigureAwait(false);
    }

    private static async Task<object?> FireMasterAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var payload = Preloaded(call);
        switch (call["data"])
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    payload[key] = value;
                }
                return await ToMasterAsync(call, call.RequireString("tag"), payload, cancellationToken).ConfigureAwait(false);
            case var other when payload.Count == 0:
                // Salt passes non-mapping data through as it is.
                return await ToMasterAsync(call, call.RequireString("tag"), other, cancellationToken).ConfigureAwait(false);
            default:
                throw new ModuleException("event.fire_master: data must be a mapping when preload is given");
        }
    }

    private static Task<object?> Fire(ModuleCall call, CancellationToken cancellationToken)
    {
        var data = Mapping(call, "data") ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        Events(call).FireLocal(call.RequireString("tag"), data);
        return Task.FromResult<object?>(true);
    }

    /// <summary>Sends Salt's minion-event load; a refused tag is an error the caller sees, never a silent success.</summary>
    private static async Task<object?> ToMasterAsync(ModuleCall call, string tag, object? payload, CancellationToken cancellationToken)
    {
        var load = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = call.Context.MinionId,
            ["tag"] = tag,
            ["data"] = payload,
            ["cmd"] = "_minion_event",
        };
        if (!await Events(call).FireMasterAsync(tag, load, cancellationToken).ConfigureAwait(false))
        {
            throw new ModuleException($"{call.Function}: the master refused the tag '{tag}' (tags under salt/ are the master's own)");
        }
        return true;
    }

    private static Dictionary<string, object?> Preloaded(ModuleCall call) =>
        Mapping(call, "preload") is { } preload
            ? new Dictionary<string, object?>(preload, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);

    private static Dictionary<string, object?>? Mapping(ModuleCall call, string name) => call[name] switch
    {
        null => null,
        Dictionary<string, object?> map => map,
        string text when text.TrimStart().StartsWith('{') => call.GetMap(name),
        var other => throw new ModuleException(
            $"{call.Function}: '{name}' must be a mapping, got {DataTree.ToJson(other, indent: false)}"),
    };

    /// <summary><c>with_grains=True</c> adds the whole tree; a list adds only those keys.</summary>
    private static void AddSelected(Dictionary<string, object?> payload, string key, object? selector, Dictionary<string, object?> source)
    {
        switch (selector)
        {
            case List<object?> keys:
                payload[key] = keys.Select(DataTree.KeyToString).Where(source.ContainsKey)
                    .ToDictionary(k => k, k => source[k], StringComparer.Ordinal);
                break;
            case var flag when DataTree.IsTruthy(flag):
                lock (source)
                {
                    payload[key] = new Dictionary<string, object?>(source, StringComparer.Ordinal);
                }
                break;
        }
    }
}

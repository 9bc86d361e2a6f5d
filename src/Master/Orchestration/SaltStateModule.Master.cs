using System.Diagnostics;
using System.Globalization;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Orchestration;

public sealed partial class SaltStateModule
{
    /// <summary>Salt's <c>salt.runner</c>: a runner function on the master; its return is the step's changes.</summary>
    private async Task<StateReturn> RunnerAsync(StateCall call, CancellationToken cancellationToken)
    {
        if (call.Test)
        {
            return new StateReturn { Name = call.Name, Result = null, Comment = $"Runner function '{call.Name}' would be executed." };
        }
        var (args, kwargs) = MasterArguments(call);
        bool success;
        object? value;
        string? jid = null;
        try
        {
            var outcome = await backend.RunRunnerAsync(call.Name, args, kwargs, user, cancellationToken).ConfigureAwait(false);
            (value, jid) = (outcome.Return, outcome.Jid);
            success = outcome.Retcode == 0 && !(value is Dictionary<string, object?> map && map.ContainsKey("Error"));
        }
        catch (ArgumentException e)
        {
            (value, success) = (e.Message, false);
        }
        return MasterReturn(call.Name, "Runner", value, success, jid);
    }

    /// <summary>Salt's <c>salt.wheel</c>: a wheel function on the master.</summary>
    private StateReturn Wheel(StateCall call)
    {
        if (call.Test)
        {
            return new StateReturn { Name = call.Name, Result = null, Comment = $"Wheel function '{call.Name}' would be executed." };
        }
        var (args, kwargs) = MasterArguments(call);
        var outcome = backend.RunWheel(call.Name, args, kwargs, user);
        return MasterReturn(call.Name, "Wheel", outcome.Return, outcome.Success, outcome.Jid);
    }

    private static StateReturn MasterReturn(string name, string kind, object? value, bool success, string? jid)
    {
        var ret = new StateReturn
        {
            Name = name,
            Result = success,
            Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = value },
            Comment = $"{kind} function '{name}' {(success ? "executed" : "failed")}.",
        };
        if (jid is not null)
        {
            ret.Extra["__jid__"] = jid;
        }
        return ret;
    }

    /// <summary>A runner or wheel step's arguments: <c>arg</c> (a list) positional, <c>kwarg</c> and every other argument by name.</summary>
    private static (List<object?> Args, Dictionary<string, object?> Kwargs) MasterArguments(StateCall call)
    {
        var kwargs = Kwargs(call, "arg", "kwarg");
        if (call.GetMap("kwarg") is { } extra)
        {
            foreach (var (key, value) in extra)
            {
                kwargs[key] = value;
            }
        }
        return (call["arg"] as List<object?> ?? [], kwargs);
    }

    /// <summary>
    /// Salt's <c>salt.wait_for_event</c>: waits until events whose tag matches <c>name</c> (a glob) have named every id of
    /// <c>id_list</c> in <c>event_id</c> (or <c>data.event_id</c>), or <c>timeout</c> seconds (default 300) pass.
    /// </summary>
    private async Task<StateReturn> WaitForEventAsync(StateCall call, CancellationToken cancellationToken)
    {
        if (call.Test)
        {
            return new StateReturn { Name = call.Name, Result = null, Comment = $"Orchestration would wait for event '{call.Name}'" };
        }
        var waiting = (call.GetList("id_list") ?? []).Select(PyText.Str).ToList();
        var eventId = call.GetString("event_id") ?? "id";
        var timeout = TimeSpan.FromSeconds(call["timeout"] switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => 300,
        });
        var pattern = FnMatch.Compile(call.Name);
        using var subscription = backend.Subscribe(pattern.IsMatch);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var seen = new List<object?>();
        var ret = new StateReturn { Name = call.Name, Result = false };
        var clock = Stopwatch.StartNew();
        try
        {
            while (waiting.Count > 0)
            {
                var e = await subscription.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                var value = e.Data.GetValueOrDefault(eventId) ?? (e.Data.GetValueOrDefault("data") as Dictionary<string, object?>)?.GetValueOrDefault(eventId);
                var named = value is List<object?> list ? list.Select(PyText.Str).ToList() : value is null ? [] : [PyText.Str(value)];
                foreach (var id in named.Where(waiting.Contains).ToList())
                {
                    waiting.Remove(id);
                    seen.Add(id);
                }
                if (seen.Count > 0)
                {
                    ret.Changes["minions_seen"] = seen;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ret.Comment = "Timeout value reached.";
            return ret;
        }
        ret.Result = true;
        ret.Comment = $"All events seen in {clock.Elapsed.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.";
        return ret;
    }
}

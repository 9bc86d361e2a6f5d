using Orchestrator.Master.Events;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// The wheel functions reactions may call, Salt's <c>wheel.key.*</c>: each runs under a jid announced with
/// <c>salt/wheel/&lt;jid&gt;/new</c> and answered with <c>salt/wheel/&lt;jid&gt;/ret</c>, as Salt's wheel client does.
/// </summary>
public sealed class ReactorWheel(KeyManager keys, JobDispatcher jobs, EventBus events)
{
    public static readonly IReadOnlyList<string> Functions = ["key.accept", "key.delete", "key.list_all", "key.reject"];

    public static string TagNew(string jid) => $"{EventTag.Prefix}wheel/{jid}/new";

    public static string TagReturn(string jid) => $"{EventTag.Prefix}wheel/{jid}/ret";

    /// <summary>Runs a wheel function and returns its jid; throws (after the ret event, success false) when it fails.</summary>
    public string Run(string function, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var outcome = Call(function, args, kwargs, ReactorEngine.User);
        return outcome.Success ? outcome.Jid : throw new InvalidOperationException(outcome.Return as string ?? $"wheel.{function} failed");
    }

    /// <summary>Runs a wheel function for <paramref name="user"/>: its jid, return (the error text when it failed) and success.</summary>
    public WheelOutcome Call(string function, List<object?> args, Dictionary<string, object?> kwargs, string user)
    {
        var jid = jobs.NewJid();
        var fun = $"wheel.{function}";
        var funArgs = new List<object?>(args);
        if (kwargs.Count > 0)
        {
            funArgs.Add(new Dictionary<string, object?>(kwargs, StringComparer.Ordinal));
        }
        events.Publish(TagNew(jid), Data(fun, funArgs, jid, user));
        object? result;
        try
        {
            result = Dispatch(function, args, kwargs);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            Answer(fun, funArgs, jid, user, e.Message, success: false);
            return new WheelOutcome(jid, e.Message, false);
        }
        Answer(fun, funArgs, jid, user, result, success: true);
        return new WheelOutcome(jid, result, true);
    }

    private void Answer(string fun, List<object?> funArgs, string jid, string user, object? result, bool success)
    {
        var data = Data(fun, funArgs, jid, user);
        data["return"] = result;
        data["success"] = success;
        events.Publish(TagReturn(jid), data);
    }

    private static Dictionary<string, object?> Data(string fun, List<object?> funArgs, string jid, string user) => new(StringComparer.Ordinal)
    {
        ["fun"] = fun,
        ["fun_args"] = funArgs,
        ["jid"] = jid,
        ["user"] = user,
    };

    private object? Dispatch(string function, List<object?> args, Dictionary<string, object?> kwargs)
    {
        bool Flag(string name) => DataTree.IsTruthy(kwargs.GetValueOrDefault(name));
        switch (function)
        {
            case "key.accept":
                return new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["minions"] = Each(args, kwargs, glob => keys.Accept(glob, Flag("include_rejected"), Flag("include_denied"))),
                };
            case "key.reject":
                return new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["minions_rejected"] = Each(args, kwargs, glob => keys.Reject(glob, Flag("include_accepted"))),
                };
            case "key.delete":
                Each(args, kwargs, keys.Delete);
                return new Dictionary<string, object?>(StringComparer.Ordinal);
            case "key.list_all":
                var all = keys.List();
                all["local"] = new List<object?> { "master.pem", "master.pub" };
                return all;
            default:
                throw new ArgumentException($"'wheel.{function}' is not available. Wheel functions: {string.Join(", ", Functions)}");
        }
    }

    /// <summary>Salt's <c>match</c>: a glob, a list of ids, or a comma-separated list.</summary>
    private static List<object?> Each(List<object?> args, Dictionary<string, object?> kwargs, Func<string, List<string>> apply)
    {
        var match = kwargs.GetValueOrDefault("match") ?? args.FirstOrDefault()
            ?? throw new ArgumentException("a key function needs 'match': a minion id, glob or list of ids");
        return Globs(match).SelectMany(apply).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<object?>().ToList();
    }

    /// <summary>The globs of a key function's <c>match</c>: each of a list, or each of a comma-separated string.</summary>
    public static IReadOnlyList<string> Globs(object match) => match switch
    {
        List<object?> list => [.. list.Select(DataTree.KeyToString)],
        var one => DataTree.KeyToString(one).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
    };
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// Salt's orchestrate runners: <c>state.orchestrate</c> (also <c>state.orch</c>, <c>state.sls</c>) applies an SLS on the
/// master minion with the <c>salt.*</c> states, <c>state.orchestrate_single</c> runs one such state. The return prints
/// with the highstate outputter; unlike Salt's, the retcode is non-zero when any step failed.
/// </summary>
public static class OrchestrateRunner
{
    public static IEnumerable<RunnerFunction> Functions()
    {
        const string doc = "Runs an SLS on the master as an orchestration across minions: orch run state.orchestrate orch.deploy "
            + "[saltenv=base] [test=True] [pillar='{...}'] [exclude=...]";
        yield return new RunnerFunction("state.orchestrate", doc, OrchestrateAsync);
        yield return new RunnerFunction("state.orch", "Alias of state.orchestrate.", OrchestrateAsync);
        yield return new RunnerFunction("state.sls", "Alias of state.orchestrate.", OrchestrateAsync);
        yield return new RunnerFunction("state.orchestrate_single",
            "Runs one orchestration state: orch run state.orchestrate_single salt.function name=test.ping tgt='*' (fun, name, test, pillar, its arguments).",
            SingleAsync);
    }

    private static async Task<object?> OrchestrateAsync(
        RunnerContext context, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var mods = kwargs.GetValueOrDefault("mods") ?? args.ElementAtOrDefault(0)
            ?? throw new ArgumentException("state.orchestrate needs the SLS to run: orch run state.orchestrate orch.deploy");
        var callKwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["saltenv"] = kwargs.GetValueOrDefault("saltenv") ?? "base",
        };
        CopyOptional(kwargs, callKwargs, "test", "exclude", "pillarenv");
        if (Pillar(kwargs) is { } pillar)
        {
            callKwargs["pillar"] = pillar;
        }
        return await RunAsync(context, "state.sls", [mods], callKwargs, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> SingleAsync(
        RunnerContext context, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var fun = kwargs.GetValueOrDefault("fun") ?? args.ElementAtOrDefault(0)
            ?? throw new ArgumentException("state.orchestrate_single needs the state function: orch run state.orchestrate_single salt.function name=test.ping tgt='*'");
        var name = kwargs.GetValueOrDefault("name") ?? args.ElementAtOrDefault(1)
            ?? throw new ArgumentException("state.orchestrate_single needs a name");
        var callKwargs = kwargs.Where(kv => kv.Key is not ("fun" or "name" or "pillar" or "queue"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        callKwargs["name"] = name;
        if (Pillar(kwargs) is { } pillar)
        {
            callKwargs["pillar"] = pillar;
        }
        return await RunAsync(context, "state.single", [fun], callKwargs, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> RunAsync(
        RunnerContext context, string function, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var minion = context.Services.GetRequiredService<MasterMinion>();
        var result = await minion.CallAsync(function, args, kwargs, context.Jid, context.User, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { [minion.Id] = result.Return };
        var failed = result.Retcode != 0 || !result.Success || result.Return is not Dictionary<string, object?>
            || ((Dictionary<string, object?>)result.Return).Values.Any(s => s is Dictionary<string, object?> state && state.GetValueOrDefault("result") is false);
        return new RunnerResult(data, failed ? 1 : 0, "highstate");
    }

    private static Dictionary<string, object?>? Pillar(Dictionary<string, object?> kwargs) => kwargs.GetValueOrDefault("pillar") switch
    {
        null => null,
        Dictionary<string, object?> map => map,
        _ => throw new ArgumentException("Pillar data must be formatted as a dictionary"),
    };

    private static void CopyOptional(Dictionary<string, object?> from, Dictionary<string, object?> to, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (from.GetValueOrDefault(key) is { } value)
            {
                to[key] = value;
            }
        }
    }
}

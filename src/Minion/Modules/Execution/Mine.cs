using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Mine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Mine;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>mine</c> module: run the configured <c>mine_functions</c> and keep their returns on the master, where other
/// minions read them with <c>mine.get</c> (from the CLI, or <c>salt['mine.get']</c> in SLS and templates).
/// </summary>
[ExecutionModule("mine")]
public sealed class MineModule : IExecutionModule
{
    private readonly ILogger _logger;

    public MineModule(ILogger<MineModule> logger)
    {
        _logger = logger;
        Functions =
        [
            new("update", "Run the mine_functions (minion config, minion.d/*.conf, the master's config and pillar, merged as " +
                "config.merge does) and send their returns to the master. clear=True replaces this minion's mine instead of " +
                "updating it; mine_functions (a mapping in mine_functions' form, or a list of names) runs only those. Returns True, " +
                "or None when there is nothing to run. A function that fails or does not exist is logged and left out.\n\n" +
                "CLI Example: orch '*' mine.update",
                [Opt("clear", false), Opt("mine_functions")], UpdateAsync),
            new("send", "Run one function and send its return to the mine under name: mine.send name [args...] [kwargs...]. " +
                "mine_function= runs another function under the name (an alias); allow_tgt= and allow_tgt_type= say which " +
                "minions may read it. Returns True, or False when the function failed.\n\n" +
                "CLI Example: orch '*' mine.send network.ip_addrs interface=eth0\n" +
                "orch '*' mine.send eth0_ip_addrs mine_function=network.ip_addrs interface=eth0 allow_tgt='G@roles:lb' allow_tgt_type=compound",
                [Req("name")], SendAsync, AcceptsExtraArgs: true),
            new("get", "Get mine data from the master: {minion: data} for the minions the target selects that have the function " +
                "(several functions, comma-separated or a list: {fun: {minion: data}}). tgt_type as for targeting (glob, pcre, " +
                "list, grain, grain_pcre, pillar, ipcidr, compound, nodegroup); exclude_minion=True leaves this minion out.\n\n" +
                "CLI Example: orch '*' mine.get '*' network.interfaces\norch '*' mine.get 'roles:web' network.ip_addrs grain",
                [Req("tgt"), Req("fun"), Opt("tgt_type", "glob"), Opt("exclude_minion", false)], GetAsync),
            new("delete", "Remove one function's data from this minion's mine. Returns True.\n\nCLI Example: orch '*' mine.delete network.interfaces",
                [Req("fun")], DeleteAsync),
            new("flush", "Remove all of this minion's mine data. Returns True.\n\nCLI Example: orch '*' mine.flush", [], FlushAsync),
            new("valid", "List the valid entries of the mine configuration: what mine.update would run, aliases as " +
                "{function: [args...]}; None when nothing is configured.\n\nCLI Example: orch '*' mine.valid", [], Valid),
        ];
    }

    public string Doc => "The Salt mine: function returns kept on the master, where other minions can read them.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static IMineClient Client(ModuleCall call) =>
        call.Context.Files as IMineClient
            ?? throw new ModuleException($"{call.Function}: the mine lives on the master, and there is no master here (orch call --local)");

    private static string? ConfigDir(ModuleContext context) =>
        context.Opt("conf_file") is string file && file.Length > 0 ? Path.GetDirectoryName(file) : null;

    /// <summary>The configured mine functions, merged from every source; a malformed source is a clear error.</summary>
    internal static Dictionary<string, object?> Configured(ModuleContext context)
    {
        Dictionary<string, object?> pillar;
        lock (context.Pillar)
        {
            pillar = new Dictionary<string, object?>(context.Pillar, StringComparer.Ordinal);
        }
        try
        {
            return MineFunctions.Merge(context.Opts, ConfigDir(context), pillar);
        }
        catch (MineConfigException e)
        {
            throw new ModuleException(e.Message);
        }
    }

    private async Task<object?> UpdateAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var definitions = call["mine_functions"] switch
        {
            null => Configured(call.Context),
            List<object?> names => names.ToDictionary(n => DataTree.KeyToString(n), _ => (object?)new Dictionary<string, object?>(), StringComparer.Ordinal),
            Dictionary<string, object?> map => map,
            // Salt returns None for a mine_functions argument of any other type.
            _ => null,
        };
        if (definitions is null || definitions.Count == 0)
        {
            return null;
        }
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var spec in MineFunctions.Parse(definitions))
        {
            if (await RunAsync(call, spec.Function, spec.Args, spec.Kwargs, cancellationToken).ConfigureAwait(false) is not { } result)
            {
                continue;
            }
            data[spec.Alias] = spec.AllowTgt is null ? result.Value : MineAcl.Wrap(result.Value, spec.AllowTgt, spec.AllowTgtType);
        }
        await Client(call).SendMineAsync(data, call.GetBool("clear"), cancellationToken).ConfigureAwait(false);
        MineLog.Sent(_logger, call.Context.MinionId, string.Join(",", data.Keys), call.GetBool("clear"));
        return true;
    }

    private async Task<object?> SendAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = call.RequireString("name");
        var kwargs = call.ExtraKwargs.Where(pair => !pair.Key.StartsWith("__", StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var function = kwargs.Remove("mine_function", out var f) && DataTree.IsTruthy(f) ? DataTree.KeyToString(f) : name;
        var allowTgt = kwargs.Remove("allow_tgt", out var t) && DataTree.IsTruthy(t) ? DataTree.KeyToString(t) : null;
        var allowTgtType = kwargs.Remove("allow_tgt_type", out var tt) && DataTree.IsTruthy(tt) ? DataTree.KeyToString(tt) : null;
        if (await RunAsync(call, function, [.. call.ExtraArgs], kwargs, cancellationToken).ConfigureAwait(false) is not { } result)
        {
            return false;
        }
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [name] = allowTgt is null ? result.Value : MineAcl.Wrap(result.Value, allowTgt, allowTgtType),
        };
        await Client(call).SendMineAsync(data, clear: false, cancellationToken).ConfigureAwait(false);
        MineLog.Sent(_logger, call.Context.MinionId, name, false);
        return true;
    }

    /// <summary>Runs one mine function; null (logged) when it does not exist or raised, as Salt leaves such functions out.</summary>
    private async Task<Ran?> RunAsync(
        ModuleCall call, string function, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        if (!call.Context.Modules.Exists(function))
        {
            MineLog.FunctionMissing(_logger, function);
            return null;
        }
        var result = await call.Context.Modules.InvokeAsync(function, args, kwargs, call.Context, cancellationToken).ConfigureAwait(false);
        if (result.Raised)
        {
            MineLog.FunctionFailed(_logger, function, DataTree.KeyToString(result.Return));
            return null;
        }
        return new Ran(result.Return);
    }

    private static async Task<object?> GetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var (functions, byFunction) = MineFunctionList.Parse(call["fun"]);
        var found = await Client(call).GetMineAsync(
            call.RequireString("tgt"), call.GetString("tgt_type") ?? "glob", functions, byFunction, cancellationToken).ConfigureAwait(false);
        if (call.GetBool("exclude_minion"))
        {
            // As Salt's: only the flat {minion: data} answer loses this minion.
            found.Remove(call.Context.MinionId);
        }
        return found;
    }

    private static async Task<object?> DeleteAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        await Client(call).DeleteMineAsync(call.RequireString("fun"), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<object?> FlushAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        await Client(call).FlushMineAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task<object?> Valid(ModuleCall call, CancellationToken cancellationToken)
    {
        var definitions = Configured(call.Context);
        if (definitions.Count == 0)
        {
            return Task.FromResult<object?>(null);
        }
        var valid = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (alias, definition) in definitions)
        {
            var spec = MineFunctions.Parse(alias, definition);
            if (!call.Context.Modules.Exists(spec.Function))
            {
                MineLog.FunctionMissing(_logger, spec.Function);
                continue;
            }
            valid[alias] = MineFunctions.Valid(spec, definition);
        }
        return Task.FromResult<object?>(valid);
    }

    private sealed record Ran(object? Value);
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// Salt's <c>cloud</c> runner: <c>cloud.profile PROFILE NAMES</c> (also <c>cloud.create PROFILE NAMES</c>, or Salt's
/// <c>cloud.create PROVIDER NAMES key=value</c>), <c>cloud.destroy NAMES</c>, <c>cloud.query</c>/<c>cloud.list_nodes</c>,
/// <c>cloud.list_profiles</c>, <c>cloud.list_providers</c>. Returns keep salt-cloud's shapes: created nodes by name,
/// destroyed and listed ones under provider alias and driver. Names may be given as several arguments or comma-separated.
/// </summary>
public static class CloudRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("cloud.profile", "Creates nodes from a profile: orch run cloud.profile PROFILE NAME [NAME...] (names may be comma-separated).", ProfileAsync),
        new("cloud.create",
            "Creates nodes: orch run cloud.create PROFILE NAME [NAME...], or as Salt's cloud.create PROVIDER NAMES [key=value...] when the first word names a provider.",
            CreateAsync),
        new("cloud.destroy", "Destroys nodes: stops the minion, deletes its key, removes its network and root dir: orch run cloud.destroy NAME [NAME...].", DestroyAsync),
        new("cloud.query", "The nodes of every provider: {provider: {driver: {name: {id, image, private_ips, public_ips, size, state}}}}.",
            (ctx, args, kwargs) => Query(ctx, null)),
        new("cloud.list_nodes", "The nodes, as cloud.query, of one provider when given: orch run cloud.list_nodes [PROVIDER].",
            (ctx, args, kwargs) => Query(ctx, Word(args, kwargs, 0, "provider"))),
        new("cloud.full_query", "As cloud.query, with each node's pid, root dir, addresses and namespace.", (ctx, args, kwargs) => Query(ctx, null, full: true)),
        new("cloud.list_profiles", "The configured profiles as salt-cloud --list-profiles shows them: {profile: {provider: {}}} [provider filter].",
            (ctx, args, kwargs) => ListProfiles(ctx, Word(args, kwargs, 0, "provider"))),
        new("cloud.list_providers", "The configured providers: {alias: {driver: {}}}.", (ctx, args, kwargs) => ListProviders(ctx)),
    ];

    private static CloudManager Manager(RunnerContext ctx) => ctx.Services.GetRequiredService<CloudManager>();

    private static Task<object?> ProfileAsync(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var (profile, rest) = Lead(args, kwargs, "prof", "profile");
        return profile is null
            ? throw new ArgumentException("A profile (or prof) must be defined: orch run cloud.profile PROFILE NAME")
            : RunProfileAsync(ctx, profile, Names(rest, kwargs), cancellationToken);
    }

    private static Task<object?> CreateAsync(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var (first, rest) = Lead(args, kwargs, "profile", "provider");
        if (first is null)
        {
            throw new ArgumentException("cloud.create needs a profile (or a provider) and names: orch run cloud.create PROFILE NAME");
        }
        var config = Manager(ctx).Config();
        if (!kwargs.ContainsKey("provider") && (config.Profiles.ContainsKey(first) || config.FindProvider(first) is null))
        {
            return RunProfileAsync(ctx, first, Names(rest, kwargs), cancellationToken);
        }
        var overrides = kwargs.Where(kv => kv.Key is not ("provider" or "profile" or "instances" or "names"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return RunAsync(ctx, Names(rest, kwargs), name => config.ResolveProvider(first, name, overrides), cancellationToken);
    }

    private static Task<object?> RunProfileAsync(RunnerContext ctx, string profile, List<string> names, CancellationToken cancellationToken)
    {
        var config = Manager(ctx).Config();
        // Resolved once up front: a profile with a missing provider fails before any node is begun.
        config.ResolveProfile(profile, names.FirstOrDefault() ?? "check");
        return RunAsync(ctx, names, name => config.ResolveProfile(profile, name), cancellationToken);
    }

    private static async Task<object?> RunAsync(
        RunnerContext ctx, List<string> names, Func<string, CloudVm> resolve, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException("One or more instances (comma-delimited) must be set");
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"{twice.Key} is named twice");
        }
        var manager = Manager(ctx);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var failed = false;
        foreach (var name in names)
        {
            try
            {
                result[name] = await manager.CreateAsync(resolve(name), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException && names.Count > 1)
            {
                result[name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Error"] = e.Message };
                failed = true;
            }
        }
        return new RunnerResult(result, failed ? 1 : 0);
    }

    private static async Task<object?> DestroyAsync(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var names = Names(args, kwargs);
        if (names.Count == 0)
        {
            throw new ArgumentException("cloud.destroy needs the names of the nodes to destroy: orch run cloud.destroy NAME");
        }
        var manager = Manager(ctx);
        var nodes = manager.Nodes().ToDictionary(n => n.Name, StringComparer.Ordinal);
        var missing = names.Where(n => !nodes.ContainsKey(n)).ToList();
        if (missing.Count == names.Count)
        {
            throw new ArgumentException($"The following VM's were not found: {string.Join(", ", missing)}");
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var failed = missing.Count > 0;
        foreach (var name in names.Where(nodes.ContainsKey))
        {
            var node = nodes[name];
            object? outcome;
            try
            {
                outcome = await manager.DestroyAsync(node, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                outcome = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Error"] = e.Message };
                failed = true;
            }
            Nested(result, node.Provider, node.Driver)[name] = outcome;
        }
        if (missing.Count > 0)
        {
            result["Not Found"] = missing.Cast<object?>().ToList();
        }
        return new RunnerResult(result, failed ? 1 : 0);
    }

    private static Dictionary<string, object?> Query(RunnerContext ctx, string? provider, bool full = false)
    {
        var manager = Manager(ctx);
        var config = manager.Config();
        if (provider is not null && config.FindProvider(provider) is null)
        {
            throw new ArgumentException($"provider '{provider}' is not configured");
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var configured in config.Providers.Values.Where(p => provider is null || p.Alias == config.FindProvider(provider)!.Alias))
        {
            Nested(result, configured.Alias, configured.Driver);
        }
        foreach (var node in manager.Nodes().Where(n => provider is null || n.Provider == config.FindProvider(provider)!.Alias))
        {
            var info = CloudManager.NodeInfo(node, CloudManager.IsRunning(node));
            if (full)
            {
                info["pid"] = node.Pid is { } pid ? (long)pid : null;
                info["root_dir"] = node.RootDir;
                info["master"] = node.MasterAddress;
                info["namespace"] = node.Namespace;
                info["created"] = node.Created;
            }
            Nested(result, node.Provider, node.Driver)[node.Name] = info;
        }
        return result;
    }

    private static Dictionary<string, object?> ListProfiles(RunnerContext ctx, string? provider)
    {
        var config = Manager(ctx).Config();
        if (config.Profiles.Count == 0)
        {
            throw new ArgumentException("There are no cloud profiles configured.");
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var profile in config.Profiles.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var named = ProviderOf(config, profile);
            var alias = named.Split(':')[0];
            if (provider is null or "all" || alias == provider || config.FindProvider(named)?.Driver == provider)
            {
                result[profile.Name] = new Dictionary<string, object?>(StringComparer.Ordinal) { [alias] = new Dictionary<string, object?>(StringComparer.Ordinal) };
            }
        }
        return result;
    }

    /// <summary>The provider a profile names, through its <c>extends:</c> chain (as written when that chain is broken).</summary>
    private static string ProviderOf(CloudConfig config, CloudProfile profile)
    {
        try
        {
            return DataTree.KeyToString(config.ResolveProfile(profile.Name, "list").Settings["provider"]).Split(':')[0];
        }
        catch (ArgumentException)
        {
            return profile.Settings.GetValueOrDefault("provider") is { } p ? DataTree.KeyToString(p) : "";
        }
    }

    private static Dictionary<string, object?> ListProviders(RunnerContext ctx)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var provider in Manager(ctx).Config().Providers.Values.OrderBy(p => p.Alias, StringComparer.Ordinal))
        {
            Nested(result, provider.Alias, provider.Driver);
        }
        return result;
    }

    private static Dictionary<string, object?> Nested(Dictionary<string, object?> root, string alias, string driver)
    {
        if (root.GetValueOrDefault(alias) is not Dictionary<string, object?> drivers)
        {
            root[alias] = drivers = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        if (drivers.GetValueOrDefault(driver) is not Dictionary<string, object?> nodes)
        {
            drivers[driver] = nodes = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        return nodes;
    }

    /// <summary>The leading word from the first of <paramref name="names"/> given as a kwarg, else the first positional, and the positionals left.</summary>
    private static (string? Value, IEnumerable<object?> Remaining) Lead(List<object?> args, Dictionary<string, object?> kwargs, params string[] names)
    {
        foreach (var name in names)
        {
            if (kwargs.GetValueOrDefault(name) is { } named)
            {
                return (DataTree.KeyToString(named), args);
            }
        }
        return args.Count > 0 && args[0] is { } first ? (DataTree.KeyToString(first), args.Skip(1)) : (null, args);
    }

    private static string? Word(List<object?> args, Dictionary<string, object?> kwargs, int position, string name) =>
        kwargs.GetValueOrDefault(name) is { } named ? DataTree.KeyToString(named)
        : args.ElementAtOrDefault(position) is { } given ? DataTree.KeyToString(given) : null;

    /// <summary>Names from positional words, <c>instances=</c> or <c>names=</c>, each possibly comma-separated (Salt's form).</summary>
    private static List<string> Names(IEnumerable<object?> words, Dictionary<string, object?> kwargs)
    {
        var all = words.Concat(kwargs.GetValueOrDefault("instances") switch { List<object?> l => l, { } one => [one], null => [] })
            .Concat(kwargs.GetValueOrDefault("names") switch { List<object?> l => l, { } one => [one], null => [] });
        return all.Where(w => w is not null).SelectMany(w => DataTree.KeyToString(w).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
    }
}

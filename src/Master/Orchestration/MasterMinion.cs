using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Mine;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// Salt's <c>MasterMinion</c>: a masterless minion named <c>&lt;master id&gt;_master</c> inside the master, reading
/// <c>salt://</c> through the master's file server (roots, gitfs) and pillar from its <c>pillar_roots</c>, with the
/// minion's execution and state modules, and the <c>salt.*</c>
/// orchestration states, which reach the minions through the master itself; <c>mine.get</c> reads the master's mine.
/// </summary>
public sealed class MasterMinion(
    MasterOptions options, OrchestrationBackend backend, MineQuery mine, FileServer.FileServer files, ILoggerFactory loggerFactory,
    IServiceProvider services)
{
    private Dictionary<string, object?>? _grains;

    public string Id => $"{options.Id}_master";

    /// <summary>Calls <paramref name="function"/> (e.g. <c>state.sls</c>) as the master minion, under the runner's jid, for <paramref name="user"/>.</summary>
    public async Task<FunctionResult> CallAsync(
        string function, List<object?> args, Dictionary<string, object?> kwargs, string? jid, string user, CancellationToken cancellationToken)
    {
        var minion = Options();
        var registry = new ExecutionModuleRegistry().AddBuiltinModules(new ModuleProviders
        {
            LoggerFactory = loggerFactory,
            ExtraStateModules = [new SaltStateModule(backend, user)],
        });
        _grains ??= MinionHost.CollectGrains(minion, services);
        var context = await LocalContext.CreateAsync(minion, registry, _grains, services, cancellationToken, _ => new MasterMinionFiles(files, minion.CacheDir, mine, Id))
            .ConfigureAwait(false);
        return await registry.InvokeAsync(function, args, kwargs, context.ForJob(jid), cancellationToken).ConfigureAwait(false);
    }

    private MinionOptions Options()
    {
        var cacheDir = Path.Combine(options.CacheDir, "master-minion");
        var raw = new Dictionary<string, object?>(options.Raw, StringComparer.Ordinal)
        {
            ["id"] = Id,
            ["file_client"] = "local",
            ["cachedir"] = cacheDir,
            ["__role"] = "master",
            ["file_roots"] = Roots(options.FileRoots),
            ["pillar_roots"] = Roots(options.PillarRoots),
        };
        return new MinionOptions
        {
            Id = Id,
            Raw = raw,
            CacheDir = cacheDir,
            FileRoots = options.FileRoots,
            PillarRoots = options.PillarRoots,
            FileClient = "local",
            ConfigDir = options.ConfigDir,
        };
    }

    private static Dictionary<string, object?> Roots(Dictionary<string, List<string>> roots) =>
        roots.ToDictionary(r => r.Key, r => (object?)r.Value.Cast<object?>().ToList(), StringComparer.Ordinal);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine.Local;

namespace Orchestrator.Minion.Hosting;

/// <summary>The module context for runs without a master (<c>orch call --local</c>): local file and pillar roots.</summary>
public static class LocalContext
{
    /// <param name="wrapFiles">Puts more behind the local file client (the master minion's mine).</param>
    public static async Task<ModuleContext> CreateAsync(
        MinionOptions options, ExecutionModuleRegistry registry, Dictionary<string, object?> grains, IServiceProvider services,
        CancellationToken cancellationToken, Func<LocalFileClient, IFileClient>? wrapFiles = null)
    {
        var local = new LocalFileClient(options.FileRoots.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value, StringComparer.Ordinal));
        var files = wrapFiles?.Invoke(local) ?? local;
        // No master here: event.fire reaches local listeners, event.send says there is no master.
        var events = new MinionEventBus(null, options.RequestTimeout, Microsoft.Extensions.Logging.Abstractions.NullLogger<MinionEventBus>.Instance);
        var minion = new ModuleContext
        {
            MinionId = options.Id,
            Grains = grains,
            Opts = options.Raw,
            Modules = registry,
            CacheDir = options.CacheDir,
            Files = files,
            Events = events,
        };
        var pillarSource = new LocalPillarSource(options.PillarRoots, options.Id, grains, options.Raw, LocalPillarSource.ModulesFor(minion),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<LocalPillarSource>());
        return new ModuleContext
        {
            MinionId = options.Id,
            Grains = grains,
            GrainsSource = ct => MinionHost.CollectGrainsAsync(options, services, ct),
            Opts = options.Raw,
            Modules = registry,
            CacheDir = options.CacheDir,
            Files = files,
            PillarSource = pillarSource,
            Events = events,
            Pillar = options.PillarRoots.Count > 0
                ? await pillarSource.GetPillarAsync("base", cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, object?>(StringComparer.Ordinal),
        };
    }
}

using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Hosting;

/// <summary>The module context for runs without a master (<c>orch call --local</c>): local file and pillar roots.</summary>
internal static class LocalContext
{
    public static ModuleContext Create(MinionOptions options, ExecutionModuleRegistry registry, Dictionary<string, object?> grains) => new()
    {
        MinionId = options.Id,
        Grains = grains,
        Opts = options.Raw,
        Modules = registry,
        CacheDir = options.CacheDir,
    };
}

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The guard of modules implemented for the Debian family only: elsewhere they fail clearly instead of guessing.</summary>
internal static class DebianOnly
{
    public static void Require(ModuleContext context, string function)
    {
        var family = context.Grains.GetValueOrDefault("os_family") as string;
        if (family != "Debian")
        {
            throw new ModuleException($"{function} is not supported on this OS (os_family {family ?? "unknown"}): only the Debian family is implemented");
        }
    }
}

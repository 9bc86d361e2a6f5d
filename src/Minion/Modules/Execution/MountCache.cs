using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The mount cache of <c>mount</c>: what <c>mount.mounted</c> last mounted, in the 'mounts' file of the cache dir (as Salt keeps it).</summary>
public sealed partial class MountModule
{
    // ---- mount cache -----------------------------------------------------------------------------------------------------

    private static string CacheFile(ModuleContext context) => Path.Combine(context.CacheDir, "mounts");

    private static Dictionary<string, object?> ReadCache(ModuleContext context)
    {
        try
        {
            return YamlLoader.Load(File.ReadAllText(CacheFile(context))) as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    private static bool WriteCache(ModuleContext context, Dictionary<string, object?> cache)
    {
        try
        {
            Directory.CreateDirectory(context.CacheDir);
            // JSON is YAML too: the file stays readable by a YAML loader, as Salt's is.
            File.WriteAllText(CacheFile(context), DataTree.ToJson(cache, indent: true));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>What the cache holds for a mount point; {} when nothing.</summary>
    public static Dictionary<string, object?> ReadMountCache(ModuleContext context, string name) =>
        ReadCache(context).GetValueOrDefault("mounts") is Dictionary<string, object?> mounts && mounts.GetValueOrDefault(name) is Dictionary<string, object?> entry
            ? entry
            : new(StringComparer.Ordinal);

    /// <summary>Records a mount; a cache that cannot be written is an error, as in Salt.</summary>
    public static bool WriteMountCache(ModuleContext context, string realName, object? device, object? mkmnt, object? fstype, object? opts)
    {
        var cache = ReadCache(context);
        if (cache.GetValueOrDefault("mounts") is not Dictionary<string, object?> mounts)
        {
            cache["mounts"] = mounts = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        mounts[realName] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["device"] = device,
            ["fstype"] = fstype,
            ["mkmnt"] = mkmnt,
            ["opts"] = opts,
        };
        return WriteCache(context, cache) ? true : throw new ModuleException("Unable to write mount cache.");
    }

    /// <summary>Forgets a mount point; True.</summary>
    public static bool DeleteMountCache(ModuleContext context, string realName)
    {
        var cache = ReadCache(context);
        if (cache.GetValueOrDefault("mounts") is Dictionary<string, object?> mounts && mounts.Remove(realName) && !WriteCache(context, cache))
        {
            throw new ModuleException("Unable to write mount cache.");
        }
        return true;
    }
}

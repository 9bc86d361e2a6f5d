using Orchestrator.Shared.Security;

namespace Orchestrator.Minion.Modules;

/// <summary>Where a file client keeps a <c>salt://</c> file it fetched: <c>&lt;cachedir&gt;/files/&lt;saltenv&gt;/&lt;path&gt;</c>.</summary>
public static class FileCache
{
    /// <summary>The <c>salt://</c> prefix taken off a URL, if it has one.</summary>
    public static string RelativePath(string url) => url.StartsWith("salt://", StringComparison.Ordinal) ? url["salt://".Length..] : url;

    /// <summary>The cache path of <paramref name="relative"/> in <paramref name="saltenv"/>; a path that would leave the cache is refused.</summary>
    public static string LocalPath(string cacheDir, string saltenv, string relative) =>
        NameValidator.ResolveUnder(Path.Combine(cacheDir, "files", NameValidator.IsValidMinionId(saltenv) ? saltenv : "base"), relative)
            ?? throw new ModuleException($"refused file path salt://{relative}");
}

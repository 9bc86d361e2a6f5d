using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Rendering;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>cp</c> module: what the minion's file client serves (local <c>file_roots</c> under <c>--local</c>,
/// the master's file server otherwise). Listing and caching here; copying out in Cp.Get.cs, URLs in Cp.Url.cs.</summary>
[ExecutionModule("cp")]
public sealed partial class CpModule : IExecutionModule
{
    private readonly Func<ModuleContext, string, ISlsTemplateRenderer> _rendererFactory;
    private readonly ILogger _logger;

    /// <param name="rendererFactory">The Jinja renderer for a call's context and saltenv (template=jinja, cp.get_template).</param>
    /// <param name="logger">Where Salt's error lines go (a URL that could not be fetched).</param>
    public CpModule(Func<ModuleContext, string, ISlsTemplateRenderer>? rendererFactory = null, ILogger? logger = null)
    {
        _rendererFactory = rendererFactory ?? ((context, saltenv) => SaltFunctions.RendererFor(context, saltenv));
        _logger = logger ?? NullLogger.Instance;
        Functions =
        [
            new("cache_file", "Fetch a salt:// file into the minion's cache and return its local path, or False when the file server " +
                "has no such file (a local absolute path is returned as it is when it exists).\n\n" +
                "CLI Example: orch '*' cp.cache_file salt://path/to/file", [Req("path"), Opt("saltenv", "base"), Opt("source_hash"),
                 Opt("verify_ssl", true), Opt("use_etag", false)], CacheFileAsync),
            new("get_file_str", "Return the contents of a salt:// file as a string, or False when the file server has no such file.\n\n" +
                "CLI Example: orch '*' cp.get_file_str salt://my/file", [Req("path"), Opt("saltenv", "base")], GetFileStrAsync),
            new("list_master", "List all of the files stored on the file server of an environment (sorted), those starting with " +
                "prefix when given.\n\nCLI Example: orch '*' cp.list_master", [Opt("saltenv", "base"), Opt("prefix", "")], ListMasterAsync),
            new("list_master_dirs", "List all of the directories stored on the file server of an environment (sorted, '.' for the " +
                "root), those starting with prefix when given.\n\nCLI Example: orch '*' cp.list_master_dirs",
                [Opt("saltenv", "base"), Opt("prefix", "")], ListMasterDirsAsync),
            new("list_states", "List the SLS names the file server has in an environment (a/init.sls is a, a/b.sls is a.b).\n\n" +
                "CLI Example: orch '*' cp.list_states", [Opt("saltenv", "base")], ListStatesAsync),
            .. GetFunctions(),
            .. UrlFunctions(),
            .. PushFunctions(),
        ];
    }

    public string Doc => "Minion-side access to the file server: list and fetch salt:// files.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static IFileClient Files(ModuleCall call) =>
        call.Context.Files ?? throw new ModuleException($"{call.Function}: no file client is configured (file_roots or a master)");

    private static string Saltenv(ModuleCall call) => call.GetString("saltenv") ?? "base";

    /// <summary>The files of an environment, sorted, filtered by a path prefix as Salt's file server does.</summary>
    internal static async Task<List<string>> MasterFilesAsync(IFileClient files, string saltenv, string prefix, CancellationToken cancellationToken)
    {
        var all = await files.ListFilesAsync(saltenv, cancellationToken).ConfigureAwait(false);
        return Filter(all.Select(f => f.Replace('\\', '/')), prefix);
    }

    /// <summary>The directories of an environment ('.' is the root), sorted and filtered like <see cref="MasterFilesAsync"/>.</summary>
    internal static async Task<List<string>> MasterDirsAsync(IFileClient files, string saltenv, string prefix, CancellationToken cancellationToken)
    {
        IEnumerable<string> dirs;
        if (files is IDirectoryLister lister)
        {
            dirs = await lister.ListDirectoriesAsync(saltenv, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A file server that lists files only: every folder that holds one (an empty folder is not seen).
            var all = await files.ListFilesAsync(saltenv, cancellationToken).ConfigureAwait(false);
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (all.Count > 0)
            {
                found.Add(".");
            }
            foreach (var file in all)
            {
                var path = file.Replace('\\', '/');
                for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
                {
                    found.Add(path[..slash]);
                }
            }
            dirs = found;
        }
        return Filter(dirs, prefix);
    }

    private static List<string> Filter(IEnumerable<string> paths, string prefix)
    {
        var stripped = prefix.Trim('/');
        return paths.Where(p => stripped.Length == 0 || p.StartsWith(stripped, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<object?> ListMasterAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await MasterFilesAsync(Files(call), Saltenv(call), call.GetString("prefix") ?? "", cancellationToken).ConfigureAwait(false))
            .Cast<object?>().ToList();

    private static async Task<object?> ListMasterDirsAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await MasterDirsAsync(Files(call), Saltenv(call), call.GetString("prefix") ?? "", cancellationToken).ConfigureAwait(false))
            .Cast<object?>().ToList();

    private static async Task<object?> ListStatesAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var files = await MasterFilesAsync(Files(call), Saltenv(call), "", cancellationToken).ConfigureAwait(false);
        return files.Where(f => f.EndsWith(".sls", StringComparison.Ordinal))
            .Select(f => f.EndsWith("/init.sls", StringComparison.Ordinal) ? f[..^9].Replace('/', '.') : f[..^4].Replace('/', '.'))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<object?>().ToList();
    }

    private static async Task<object?> CacheFileAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (object?)await CachedPathAsync(call, cancellationToken).ConfigureAwait(false) ?? false;

    private static async Task<object?> GetFileStrAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = await CachedPathAsync(call, cancellationToken).ConfigureAwait(false);
        return path is null ? false : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The local path of a salt:// file (its <c>?saltenv=</c> wins over the argument), or of an existing local file.</summary>
    private static async Task<string?> CachedPathAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = call.RequireString("path");
        var saltenv = Saltenv(call);
        if (path.StartsWith("salt://", StringComparison.Ordinal))
        {
            var query = path.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                foreach (var pair in path[(query + 1)..].Split('&'))
                {
                    if (pair.StartsWith("saltenv=", StringComparison.Ordinal))
                    {
                        saltenv = pair["saltenv=".Length..];
                    }
                }
                path = path[..query];
            }
            return await Files(call).CacheFileAsync(path, saltenv, cancellationToken).ConfigureAwait(false);
        }
        var local = path.StartsWith("file://", StringComparison.Ordinal) ? path["file://".Length..] : path;
        if (local.Contains("://", StringComparison.Ordinal))
        {
            throw new ModuleException($"{call.Function}: only salt:// and local paths can be fetched here, not '{path}'");
        }
        return Path.IsPathRooted(local) && File.Exists(local) ? local : null;
    }
}

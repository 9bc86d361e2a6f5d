using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary><c>cp.get_file</c>, <c>cp.get_dir</c> and <c>cp.get_template</c>: salt:// files copied out of the file client.</summary>
public sealed partial class CpModule
{
    private ModuleFunction[] GetFunctions() =>
    [
        new("get_file", "Copy a single salt:// file from the file server to dest on the minion and return dest; '' when the " +
            "file server has no such file, False when dest's directory is missing and makedirs is False. dest may be a " +
            "directory (the file keeps its name). template=jinja renders the source and dest names (not the file) with " +
            "salt, pillar, grains, opts and saltenv; the environment comes from saltenv or a ?saltenv= query. gzip is " +
            "accepted and ignored.\n\n" +
            "CLI Example: orch '*' cp.get_file salt://path/to/file /minion/dest\n" +
            "orch '*' cp.get_file \"salt://{{grains.os}}/vimrc\" /etc/vimrc template=jinja",
            [Req("path"), Req("dest"), Opt("saltenv"), Opt("makedirs", false), Opt("template"), Opt("gzip")], GetFileAsync,
            AcceptsExtraArgs: true),
        new("get_dir", "Recursively copy a salt:// directory to dest on the minion (dest/<dirname>/..., directories made as " +
            "needed, empty directories replicated) and return the sorted list of the paths written. template and gzip " +
            "as for cp.get_file.\n\n" +
            "CLI Example: orch '*' cp.get_dir salt://path/to/dir/ /minion/dest",
            [Req("path"), Req("dest"), Opt("saltenv"), Opt("template"), Opt("gzip")], GetDirAsync, AcceptsExtraArgs: true),
        new("get_template", "Render a salt:// file as a template (jinja) with salt, pillar, grains, opts, saltenv and the " +
            "extra keyword arguments, write it to dest and return dest; '' when the file is missing, the engine is " +
            "unknown, the render fails, or dest's directory is missing and makedirs is False.\n\n" +
            "CLI Example: orch '*' cp.get_template salt://path/to/template /minion/dest",
            [Req("path"), Req("dest"), Opt("template", "jinja"), Opt("saltenv"), Opt("makedirs", false)], GetTemplateAsync,
            AcceptsExtraArgs: true),
    ];

    /// <summary>The environment of a get_* call: the argument, else the minion's <c>saltenv</c> option, else base.</summary>
    private static string SaltenvOrOpts(ModuleCall call) =>
        call.GetString("saltenv") is { Length: > 0 } saltenv ? saltenv
        : call.Context.Opt("saltenv") is string { Length: > 0 } configured ? configured
        : "base";

    private async Task<object?> GetFileAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var (path, dest) = RenderNames(call, call.RequireString("path"), call.RequireString("dest"));
        var (url, saltenv) = SplitEnv(path, SaltenvOrOpts(call));
        if (!url.StartsWith("salt://", StringComparison.Ordinal))
        {
            throw new ModuleException($"Unsupported path: {url}");
        }
        // Salt asks for the file's hash first, and answers '' (not False) when the file server has none.
        if (await Files(call).CacheFileAsync(url, saltenv, cancellationToken).ConfigureAwait(false) is null)
        {
            return "";
        }
        return await CopyOutAsync(call, url, dest, call.GetBool("makedirs"), saltenv, cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> GetDirAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var (path, dest) = RenderNames(call, call.RequireString("path"), call.RequireString("dest"));
        var (url, saltenv) = SplitEnv(path, SaltenvOrOpts(call));
        if (!url.StartsWith("salt://", StringComparison.Ordinal))
        {
            throw new ModuleException($"Unsupported path: {url}");
        }
        var source = url["salt://".Length..].TrimEnd('/');
        // The copied directory keeps its own name under dest: salt://a/b to /d writes /d/b/...
        var slash = source.LastIndexOf('/');
        var parent = slash < 0 ? "" : source[..slash];
        var written = new List<object?>();
        var files = Files(call);
        foreach (var file in await MasterFilesAsync(files, saltenv, source, cancellationToken).ConfigureAwait(false))
        {
            // salt://foo must not match salt://foobar/x or salt://foo.sh (nor, as in Salt, anything for salt:// itself).
            if (file.Length <= source.Length || file[source.Length] != '/')
            {
                continue;
            }
            var target = dest.TrimEnd('/') + "/" + file[parent.Length..].TrimStart('/');
            written.Add(await CopyOutAsync(call, "salt://" + file, target, makedirs: true, saltenv, cancellationToken).ConfigureAwait(false));
        }
        foreach (var empty in await EmptyDirsAsync(files, saltenv, source, cancellationToken).ConfigureAwait(false))
        {
            var target = dest.TrimEnd('/') + "/" + empty[parent.Length..].TrimStart('/');
            CreateDirectory(call, target);
            written.Add(target);
        }
        return written.OrderBy(w => w as string ?? "", StringComparer.Ordinal).ToList();
    }

    private async Task<object?> GetTemplateAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var (url, saltenv) = SplitEnv(call.RequireString("path"), SaltenvOrOpts(call));
        var dest = call.GetString("dest") ?? "";
        var template = call.GetString("template") ?? "jinja";
        var cached = await CachedAnyAsync(call, url, saltenv, cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            return "";
        }
        if (!template.Equals("jinja", StringComparison.OrdinalIgnoreCase))
        {
            CpLog.UnavailableEngine(_logger, template);
            return "";
        }
        string text;
        try
        {
            var context = TemplateContext(call, saltenv);
            foreach (var (key, value) in call.ExtraKwargs)
            {
                context[key] = value;
            }
            var source = await File.ReadAllTextAsync(cached, cancellationToken).ConfigureAwait(false);
            text = _rendererFactory(call.Context, saltenv).Render(source, url, context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CpLog.TemplateFailed(_logger, e.Message);
            return "";
        }
        var makedirs = call.GetBool("makedirs");
        if (dest.Length == 0)
        {
            // No destination: Salt's extrn_files cache, whose directories it makes itself.
            dest = ExtrnPath(call, url, saltenv);
            makedirs = true;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(dest))!;
        if (!Directory.Exists(directory))
        {
            if (!makedirs)
            {
                return "";
            }
            CreateDirectory(call, directory);
        }
        await WriteAsync(call, dest, async stream =>
        {
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return dest;
    }

    /// <summary>
    /// Salt's <c>Client.get_file</c>: the file's local path for an empty dest, else the file written to dest (a directory
    /// dest keeps the file's name); False when the file server has no such file or dest's directory is missing and
    /// makedirs is off. A write that fails raises with the path and the reason.
    /// </summary>
    internal static async Task<object> CopyOutAsync(
        ModuleCall call, string url, string? dest, bool makedirs, string saltenv, CancellationToken cancellationToken)
    {
        var cached = await Files(call).CacheFileAsync(url, saltenv, cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            return false;
        }
        if (string.IsNullOrEmpty(dest))
        {
            return cached;
        }
        if (Directory.Exists(dest) || dest.EndsWith('/'))
        {
            dest = Path.Combine(dest, Path.GetFileName(url.TrimEnd('/')));
        }
        var full = Path.GetFullPath(dest);
        if (!Directory.Exists(Path.GetDirectoryName(full)))
        {
            if (!makedirs)
            {
                return false;
            }
            CreateDirectory(call, Path.GetDirectoryName(full)!);
        }
        if (!string.Equals(Path.GetFullPath(cached), full, StringComparison.Ordinal))
        {
            await WriteAsync(call, dest, async stream =>
            {
                await using var input = File.OpenRead(cached);
                await input.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        return dest;
    }

    /// <summary>Writes a file, turning the OS's refusal into a failure that names the path (never a quiet success).</summary>
    private static async Task WriteAsync(ModuleCall call, string dest, Func<Stream, Task> write)
    {
        try
        {
            await using var stream = new FileStream(dest, FileMode.Create, FileAccess.Write, FileShare.None);
            await write(stream).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"{call.Function}: cannot write '{dest}': {e.Message}");
        }
    }

    private static void CreateDirectory(ModuleCall call, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"{call.Function}: cannot create directory '{directory}': {e.Message}");
        }
    }

    /// <summary>The leaf directories under a prefix that hold nothing (Salt's <c>file_list_emptydirs</c>).</summary>
    private static async Task<List<string>> EmptyDirsAsync(IFileClient files, string saltenv, string source, CancellationToken cancellationToken)
    {
        if (files is not IDirectoryLister)
        {
            return [];
        }
        var dirs = await MasterDirsAsync(files, saltenv, source, cancellationToken).ConfigureAwait(false);
        var all = await MasterFilesAsync(files, saltenv, source, cancellationToken).ConfigureAwait(false);
        return dirs.Where(d => d != "." && d.Length > source.Length && d[source.Length] == '/')
            .Where(d => !all.Any(f => f.StartsWith(d + "/", StringComparison.Ordinal))
                && !dirs.Any(o => o.StartsWith(d + "/", StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>A salt:// URL without its <c>?saltenv=</c> query, and the environment that query names (or the fallback).</summary>
    internal static (string Url, string Saltenv) SplitEnv(string path, string saltenv)
    {
        if (!path.StartsWith("salt://", StringComparison.Ordinal))
        {
            return (path, saltenv);
        }
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return (path, saltenv);
        }
        foreach (var pair in path[(query + 1)..].Split('&'))
        {
            if (pair.StartsWith("saltenv=", StringComparison.Ordinal))
            {
                saltenv = pair["saltenv=".Length..];
            }
        }
        return (path[..query], saltenv);
    }

    private static Dictionary<string, object?> TemplateContext(ModuleCall call, string saltenv) => new(StringComparer.Ordinal)
    {
        ["pillar"] = call.Context.Pillar,
        ["grains"] = call.Context.Grains,
        ["opts"] = call.Context.Opts,
        ["saltenv"] = saltenv,
    };

    /// <summary>Salt's <c>_render_filenames</c>: with a template engine, the source and dest names are templates.</summary>
    private (string Path, string Dest) RenderNames(ModuleCall call, string path, string dest)
    {
        var template = call.GetString("template");
        if (string.IsNullOrEmpty(template))
        {
            return (path, dest);
        }
        if (!template.Equals("jinja", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModuleException($"Attempted to render file paths with unavailable engine {template}");
        }
        var saltenv = SaltenvOrOpts(call);
        var renderer = _rendererFactory(call.Context, saltenv);
        var context = TemplateContext(call, saltenv);
        try
        {
            return (renderer.Render(path, path, context), renderer.Render(dest, dest, context));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ModuleException($"Failed to render file path with error: {e.Message}");
        }
    }
}

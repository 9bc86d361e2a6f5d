using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary><c>cp.get_url</c>: salt://, file:// (or a bare local path) and http(s):// URLs, as Salt's <c>Client.get_url</c>.</summary>
public sealed partial class CpModule
{
    // One client for the process: HttpClient is meant to be shared, and a URL fetch is bounded by the job's token.
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };

    private ModuleFunction[] UrlFunctions() =>
    [
        new("get_url", "Fetch a file from a URL (salt://, http://, https://, file:// or a local absolute path) to dest and " +
            "return dest. An empty dest ('', the default) places the file in the minion's cache (extrn_files for http) and " +
            "returns that path; dest None returns the contents instead. A file:// URL returns the local path as it is. " +
            "Returns False when a salt:// file is missing, '' when dest's directory is missing and makedirs is False; an " +
            "HTTP error fails with Salt's 'Error: HTTP 404: Not Found reading /path'. source_hash skips the download when " +
            "the cached copy of an http file matches it.\n\n" +
            "CLI Example: orch '*' cp.get_url salt://my/file /tmp/this_file_is_mine\n" +
            "orch '*' cp.get_url http://www.slashdot.org /tmp/index.html",
            [Req("path"), Opt("dest", ""), Opt("saltenv"), Opt("makedirs", false), Opt("source_hash")], GetUrlAsync),
    ];

    private async Task<object?> GetUrlAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var url = call.RequireString("path");
        var saltenv = SaltenvOrOpts(call);
        // Salt tells "dest omitted" ('') from "dest None" (return the contents, cache nothing).
        var dest = call["dest"] is null ? null : call.GetString("dest");
        var result = await FetchUrlAsync(call, url, dest, call.GetBool("makedirs"), saltenv, call.GetString("source_hash"),
            cancellationToken).ConfigureAwait(false);
        if (result is false or "")
        {
            CpLog.UnableToFetch(_logger, RedactAuth(url), saltenv);
        }
        return result;
    }

    private static async Task<object> FetchUrlAsync(
        ModuleCall call, string url, string? dest, bool makedirs, string saltenv, string? sourceHash, CancellationToken cancellationToken)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? url[..at].ToLowerInvariant() : "";
        if (dest is not null && (Directory.Exists(dest) || dest.EndsWith('/')))
        {
            dest = Path.Combine(dest, DestName(url, scheme));
        }
        switch (scheme)
        {
            case "" or "file":
                var local = scheme.Length == 0 ? url : url["file://".Length..];
                if (!Path.IsPathRooted(local))
                {
                    throw new ModuleException($"Path '{local}' is not absolute");
                }
                if (dest is not null)
                {
                    return local;
                }
                return File.Exists(local)
                    ? await File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false)
                    : throw new ModuleException($"{call.Function}: No such file or directory: '{local}'");
            case "salt":
                var (salt, env) = SplitEnv(url, saltenv);
                var written = await CopyOutAsync(call, salt, dest, makedirs, env, cancellationToken).ConfigureAwait(false);
                return written is string path && dest is null
                    ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
                    : written;
            case "http" or "https":
                return await FetchHttpAsync(call, url, dest, makedirs, saltenv, sourceHash, cancellationToken).ConfigureAwait(false);
            default:
                throw new ModuleException($"{call.Function}: {scheme}:// URLs are not supported (salt, http, https and file are)");
        }
    }

    /// <summary>The file name a directory dest gets: the URL's last segment, or index.html for a site's root.</summary>
    private static string DestName(string url, string scheme)
    {
        if (scheme is "http" or "https" && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && uri.Query.Length == 0 && (uri.AbsolutePath.Length <= 1 || uri.AbsolutePath.EndsWith('/')))
        {
            return "index.html";
        }
        return url.Split('/')[^1];
    }

    private static async Task<object> FetchHttpAsync(
        ModuleCall call, string url, string? dest, bool makedirs, string saltenv, string? sourceHash, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ModuleException($"{call.Function}: invalid URL '{RedactAuth(url)}'");
        }
        if (!string.IsNullOrEmpty(dest))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(dest))!;
            if (!Directory.Exists(directory))
            {
                if (!makedirs)
                {
                    return "";
                }
                CreateDirectory(call, directory);
            }
        }
        else if (dest is not null)
        {
            dest = ExtrnPath(call, url, saltenv);
            if (sourceHash is not null && File.Exists(dest) && HashMatches(dest, sourceHash))
            {
                return dest;
            }
            CreateDirectory(call, Path.GetDirectoryName(dest)!);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (uri.UserInfo.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // Tornado's HTTPError text, as salt.utils.http.query passes it on.
                var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? ReasonFor(response.StatusCode) : response.ReasonPhrase;
                throw new ModuleException($"Error: HTTP {(int)response.StatusCode}: {reason} reading {uri.AbsolutePath}");
            }
            if (dest is null)
            {
                return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            var partial = dest + ".part";
            try
            {
                await WriteAsync(call, partial, stream => response.Content.CopyToAsync(stream, cancellationToken)).ConfigureAwait(false);
                File.Move(partial, dest, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModuleException($"{call.Function}: cannot write '{dest}': {e.Message}");
            }
            finally
            {
                File.Delete(partial);
            }
            return dest;
        }
        catch (HttpRequestException e)
        {
            throw new ModuleException($"Error: {e.Message} reading {uri.AbsolutePath}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModuleException($"Error: timed out reading {uri.AbsolutePath}");
        }
    }

    private static string ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        _ => code.ToString(),
    };

    /// <summary>The local copy of a salt://, http(s) or local file (for cp.get_template), or null when there is none.</summary>
    private async Task<string?> CachedAnyAsync(ModuleCall call, string url, string saltenv, CancellationToken cancellationToken)
    {
        if (url.StartsWith("salt://", StringComparison.Ordinal))
        {
            return await Files(call).CacheFileAsync(url, saltenv, cancellationToken).ConfigureAwait(false);
        }
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return await FetchHttpAsync(call, url, "", makedirs: true, saltenv, null, cancellationToken).ConfigureAwait(false) as string;
        }
        var local = url.StartsWith("file://", StringComparison.Ordinal) ? url["file://".Length..] : url;
        return Path.IsPathRooted(local) && File.Exists(local) ? local : null;
    }

    /// <summary>Salt's <c>_extrn_path</c>: cachedir/extrn_files/saltenv/host(port without its colon)/path[-query].</summary>
    private static string ExtrnPath(ModuleCall call, string url, string saltenv)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = rest.IndexOf('/');
        var netloc = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        netloc = netloc[(netloc.LastIndexOf('@') + 1)..].Replace(":", "", StringComparison.Ordinal);
        var query = path.IndexOf('?');
        var name = query < 0 ? path : path[..query] + "-" + path[(query + 1)..];
        var root = Path.Combine(call.Context.CacheDir, "extrn_files", saltenv, netloc);
        var target = Path.GetFullPath(root + "/" + name);
        if (!target.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ModuleException($"{call.Function}: Invalid path '{name}'");
        }
        var file = Path.GetFileName(target);
        return file.Length > 255 ? Path.Combine(Path.GetDirectoryName(target)!, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file)))) : target;
    }

    /// <summary>Compares a file with <c>source_hash</c> (<c>type=hex</c> or bare hex; the type follows from the length, as in Salt).</summary>
    private static bool HashMatches(string path, string sourceHash)
    {
        var hex = sourceHash.Split('=')[^1].Trim().ToLowerInvariant();
        var bytes = File.ReadAllBytes(path);
        var actual = hex.Length switch
        {
            32 => MD5.HashData(bytes),
            40 => SHA1.HashData(bytes),
            64 => SHA256.HashData(bytes),
            96 => SHA384.HashData(bytes),
            128 => SHA512.HashData(bytes),
            _ => null,
        };
        return actual is not null && Convert.ToHexStringLower(actual) == hex;
    }

    /// <summary>Salt's <c>redact_http_basic_auth</c>: a URL's password is not logged.</summary>
    private static string RedactAuth(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < scheme)
        {
            return url;
        }
        var colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? url[..(colon + 1)] + "XXXXXXXXXX" + url[at..] : url;
    }
}

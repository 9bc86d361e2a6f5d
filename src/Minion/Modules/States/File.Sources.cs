using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

// The source of file.managed as Salt's file.source_list and file.get_managed pick and fetch it.
public sealed partial class FileState
{
    private static readonly string[] _remoteSchemes = ["http://", "https://", "ftp://"];

    private static bool IsRemote(string source) => _remoteSchemes.Any(s => source.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The local copy of the chosen source, or null when it is remote and this is a test run (not fetched).</summary>
    private static async Task<string?> ResolveSourceAsync(StateCall c, ManagedPlan plan, CancellationToken cancellationToken)
    {
        var sourceHash = c.GetString("source_hash");
        string chosen;
        string? hash;
        string? local = null;
        if (c["source"] is List<object?> sources)
        {
            (chosen, hash, local) = await FirstExistingSourceAsync(c, sources, sourceHash, cancellationToken).ConfigureAwait(false)
                ?? throw new StateFileException("Unable to manage file: none of the specified sources were found");
        }
        else
        {
            chosen = PyText.Str(c["source"]);
            hash = sourceHash;
        }
        plan.Source = chosen;
        if (IsRemote(chosen))
        {
            return await RemoteSourceAsync(c, plan, chosen, hash, cancellationToken).ConfigureAwait(false);
        }
        if (chosen.StartsWith("salt://", StringComparison.Ordinal))
        {
            // source_hash does not apply to salt:// sources: the fileserver's own hash is used.
            return local ?? await CacheSaltFileAsync(c, chosen, cancellationToken).ConfigureAwait(false)
                ?? throw new StateFileException($"Source file {chosen} not found in saltenv '{c.Saltenv}'");
        }
        var path = LocalSourcePath(chosen);
        if (!System.IO.File.Exists(path))
        {
            throw new StateFileException($"Local file source {path} does not exist");
        }
        if (hash is not null && !c.GetBool("skip_verify"))
        {
            CheckHash(c.Name, path, hash);
        }
        return path;
    }

    private static string LocalSourcePath(string source) =>
        source.StartsWith("file://", StringComparison.Ordinal) ? source["file://".Length..] : source;

    /// <summary>The local path of a salt:// (cached) or local source, or null when it does not exist.</summary>
    private static async Task<string?> FetchAsync(StateCall c, string source, CancellationToken cancellationToken)
    {
        if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            return await CacheSaltFileAsync(c, source, cancellationToken).ConfigureAwait(false);
        }
        var path = LocalSourcePath(source);
        return System.IO.File.Exists(path) ? path : null;
    }

    private static async Task<string?> CacheSaltFileAsync(StateCall c, string source, CancellationToken cancellationToken) =>
        c.Context.Files is null ? null : await c.Context.Files.CacheFileAsync(source, c.Saltenv, cancellationToken).ConfigureAwait(false);

    // Salt's source_list: salt:// sources that the fileserver has, local paths that exist, remote ones that answer a
    // HEAD request; an item may be a one-key mapping of source to its hash.
    private static async Task<(string Source, string? Hash, string? Local)?> FirstExistingSourceAsync(
        StateCall c, List<object?> sources, string? sourceHash, CancellationToken cancellationToken)
    {
        foreach (var item in sources)
        {
            string source;
            var hash = sourceHash;
            if (item is Dictionary<string, object?> pair)
            {
                if (pair.Count != 1)
                {
                    continue;
                }
                source = pair.Keys.First();
                hash = DataTree.IsTruthy(pair[source]) ? PyText.Str(pair[source]) : sourceHash;
            }
            else
            {
                source = PyText.Str(item);
            }
            if (source.StartsWith("salt://", StringComparison.Ordinal))
            {
                if (await CacheSaltFileAsync(c, source, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    return (source, hash, cached);
                }
            }
            else if (IsRemote(source))
            {
                if (await RemoteSource.ExistsAsync(source, cancellationToken).ConfigureAwait(false))
                {
                    return (source, hash, null);
                }
            }
            else if (System.IO.File.Exists(LocalSourcePath(source)) || System.IO.Directory.Exists(LocalSourcePath(source)))
            {
                return (source, hash, null);
            }
        }
        return null;
    }

    // Salt's get_managed for http(s)/ftp: without source_hash (or skip_verify) the source cannot be verified; a test run
    // fetches nothing and judges by the hash alone.
    private static async Task<string?> RemoteSourceAsync(StateCall c, ManagedPlan plan, string source, string? hash, CancellationToken cancellationToken)
    {
        var skipVerify = c.GetBool("skip_verify");
        if (hash is null && !skipVerify)
        {
            throw new StateFileException(
                $"Unable to verify upstream hash of source file {RemoteSource.Redact(source)}, please set source_hash or set skip_verify to True");
        }
        var literalHash = hash is not null && !IsRemote(hash) && !hash.StartsWith("salt://", StringComparison.Ordinal)
            && !hash.StartsWith("file://", StringComparison.Ordinal) && !hash.StartsWith('/') ? hash : null;
        if (c.Test)
        {
            plan.RemoteNotFetched = true;
            plan.RemoteHash = skipVerify ? null : literalHash;
            return null;
        }
        if (hash is not null && literalHash is null && !skipVerify)
        {
            throw new StateFileException($"Unable to manage file: source_hash {hash} must be given as the hash itself (hash_type=hash)");
        }
        string local;
        try
        {
            local = await RemoteSource.CacheAsync(source, Path.Combine(c.Context.CacheDir, "extrn_files", c.Saltenv), cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteSourceException e)
        {
            throw new StateFileException($"Failed to cache {RemoteSource.Redact(source)}: {e.Message}");
        }
        if (!skipVerify && literalHash is not null)
        {
            CheckHash(c.Name, local, literalHash);
        }
        return local;
    }
}

using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>archive.extracted</c> for tarballs (local path, <c>file://</c>, <c>salt://</c> or http(s)), using <c>tar</c> through <c>cmd.run_all</c>.</summary>
[StateModule("archive")]
public sealed class ArchiveState : IStateModule
{
    public string Doc => "Extract archives.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("extracted", [FunctionParameter.Req("name"), FunctionParameter.Req("source")], ExtractedAsync,
            "Extracts a tar archive into the directory name unless its files are already there (if_missing, enforce_toplevel)."),
    ];

    private static async Task<StateReturn> ExtractedAsync(StateCall c, CancellationToken ct)
    {
        var source = c.GetString("source")!;
        var isLocal = source.StartsWith("file://", StringComparison.Ordinal) || !source.Contains("://", StringComparison.Ordinal);
        string? local;
        if (isLocal)
        {
            local = Path.GetFullPath(source.StartsWith("file://", StringComparison.Ordinal) ? source[7..] : source);
            if (!File.Exists(local))
            {
                return StateReturn.Fail(c.Name, $"Source file '{local}' does not exist");
            }
        }
        else if (c.Test)
        {
            // Salt fetches nothing in a test run: a source that is not on the minion is not looked into.
            return StateReturn.Pending(c.Name, $"Archive {RemoteSource.Redact(source)} would be cached (if necessary) and checked to discover if extraction is needed");
        }
        else if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            local = c.Context.Files is null ? null : await c.Context.Files.CacheFileAsync(source, c.Saltenv, ct).ConfigureAwait(false);
        }
        else
        {
            try
            {
                local = await RemoteSource.CacheAsync(source, Path.Combine(c.Context.CacheDir, "extrn_files", c.Saltenv), ct).ConfigureAwait(false);
            }
            catch (RemoteSourceException e)
            {
                return StateReturn.Fail(c.Name, $"Failed to cache {RemoteSource.Redact(source)}: {e.Message}");
            }
        }
        if (local is null || !File.Exists(local))
        {
            return StateReturn.Fail(c.Name, $"Unable to cache {source}, file does not exist");
        }
        var (listCode, listing, listErr) = await StateInvoke.ShellAsync(c, "tar -tf " + StateInvoke.Quote(local), ct).ConfigureAwait(false);
        if (listCode != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to list contents of {source}: {listErr.Trim()}");
        }
        var members = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var strip = c.GetInt("strip_components") ?? 0;
        var paths = members.Select(m => string.Join('/', m.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip((int)strip)))
            .Where(p => p.Length > 0).ToList();
        var missing = c.GetString("if_missing") is { } ifMissing
            ? (File.Exists(ifMissing) || Directory.Exists(ifMissing) ? [] : paths)
            : paths.Where(p => !File.Exists(Path.Combine(c.Name, p)) && !Directory.Exists(Path.Combine(c.Name, p))).ToList();
        if (missing.Count == 0)
        {
            return StateReturn.Ok(c.Name, $"All files in archive are already present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Archive {source} would be extracted to {c.Name}");
        }
        var created = !Directory.Exists(c.Name);
        Directory.CreateDirectory(c.Name);
        var stripArg = strip > 0 ? $" --strip-components={strip}" : string.Empty;
        var (code, _, err) = await StateInvoke.ShellAsync(c, $"tar -xf {StateInvoke.Quote(local)} -C {StateInvoke.Quote(c.Name)}{stripArg}", ct).ConfigureAwait(false);
        if (code != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to extract {source}: {err.Trim()}");
        }
        var ret = StateReturn.Ok(c.Name, $"{source} extracted to {c.Name}");
        ret.Changes["extracted_files"] = missing.Cast<object?>().ToList();
        if (created)
        {
            ret.Changes["directories_created"] = new List<object?> { c.Name };
        }
        return ret;
    }
}

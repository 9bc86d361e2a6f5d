using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The repository functions of the <c>pkg</c> module on Debian (aptpkg): list_repos, get_repo, mod_repo, del_repo.</summary>
/// <remarks>Sources files are read and written under the host root; a root other than "/" also keeps <c>apt-get update</c> inside it.</remarks>
internal sealed class PkgRepo(IProcessRunner runner, string root)
{
    public ModuleFunction[] Functions() =>
    [
        new("del_repo", "Delete a repo from the sources.list / sources.list.d; a sources.list.d file left without repos is removed.\n\n" +
            "CLI Example: orch '*' pkg.del_repo \"myrepo definition\"", [Req("repo"), Opt("refresh", true)], DelRepoAsync, AcceptsExtraArgs: true),
        new("get_repo", "Display a repo from the sources.list / sources.list.d (the repo passed in needs to be a complete repo entry); {} when " +
            "absent.\n\nCLI Example: orch '*' pkg.get_repo \"myrepo definition\"", [Req("repo")],
            (c, _) => Task.FromResult<object?>(GetRepo(c.Context, c.RequireString("repo"))), AcceptsExtraArgs: true),
        new("list_repos", "Lists all repos in the sources.list (and sources.lists.d) files: {uri: [repo, ...]}.\n\nCLI Example: orch '*' pkg.list_repos",
            [], (c, _) => Task.FromResult<object?>(ListRepos(c.Context)), AcceptsExtraArgs: true),
        new("mod_repo", "Modify one or more values for a repo; if the repo does not exist, it is created, so long as the definition is well " +
            "formed. Options: architectures, comps, file, keyserver/keyid, key_url, key_text, comments, disabled/enabled, refresh.\n\n" +
            "CLI Example: orch '*' pkg.mod_repo 'myrepo definition' comps=main,universe", [Req("repo"), Opt("saltenv", "base"), Opt("aptkey", true)],
            ModRepoAsync, AcceptsExtraArgs: true),
    ];

    private AptSources Load(ModuleContext context)
    {
        DebianOnly.Require(context, "pkg repository management");
        return new AptSources(root);
    }

    public Dictionary<string, object?> ListRepos(ModuleContext context)
    {
        var repos = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var source in Load(context).Entries.Where(e => !e.Invalid))
        {
            if (repos.GetValueOrDefault(source.Uri) is not List<object?> list)
            {
                repos[source.Uri] = list = [];
            }
            list.Add(source.ToRepo());
        }
        return repos;
    }

    public Dictionary<string, object?> GetRepo(ModuleContext context, string repo)
    {
        var wanted = AptSources.Entry.Parse(repo);
        if (wanted.Invalid)
        {
            throw new ModuleException($"Error: repo '{repo}' is not a well formatted definition");
        }
        foreach (var source in Load(context).Entries.Where(e => !e.Invalid))
        {
            if (source.Type == wanted.Type && source.Uri == wanted.Uri && source.Dist == wanted.Dist
                && (wanted.Comps.Count == 0 || wanted.Comps.Any(source.Comps.Contains)))
            {
                return source.ToRepo();
            }
        }
        return [];
    }

    private async Task<object?> DelRepoAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var repo = call.RequireString("repo");
        var sources = Load(call.Context);
        var wanted = AptSources.Entry.Parse(repo);
        if (wanted.Invalid)
        {
            throw new ModuleException($"Error: repo '{repo}' not a well formatted definition");
        }
        var deletedFrom = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var source in sources.Entries.Where(e => !e.Invalid).ToList())
        {
            if (source.Type == wanted.Type && source.Architectures.SequenceEqual(wanted.Architectures) && source.Uri == wanted.Uri
                && source.Dist == wanted.Dist && source.Comps.Intersect(wanted.Comps).Any())
            {
                deletedFrom[source.File] = 0;
                source.Comps = source.Comps.Except(wanted.Comps).ToList();
                if (source.Comps.Count == 0)
                {
                    sources.Entries.Remove(source);
                }
            }
        }
        if (deletedFrom.Count == 0)
        {
            throw new ModuleException($"Repo {repo} doesn't exist in the sources.list(s)");
        }
        sources.Save();
        foreach (var source in sources.Entries.Where(e => deletedFrom.ContainsKey(e.File)))
        {
            deletedFrom[source.File]++;
        }
        var ret = string.Empty;
        foreach (var (file, count) in deletedFrom)
        {
            var path = HostCommand.Rooted(root, file);
            if (count == 0 && file.Contains("sources.list.d/", StringComparison.Ordinal) && File.Exists(path))
            {
                File.Delete(path);
                ret += $"File {file} containing repo '{repo}' has been removed.";
            }
            else
            {
                ret += $"Repo '{repo}' has been removed from {file}.\n";
            }
        }
        if (call.GetBool("refresh", true))
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        return ret;
    }

    /// <summary>Runs <c>apt-get -q update</c> (kept inside the root in tests); a failure is an error, as in Salt's refresh_db.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        List<string> args = ["-q", "update"];
        if (root is not ("/" or ""))
        {
            args.InsertRange(0, ["-o", $"Dir::Etc::SourceList={HostCommand.Rooted(root, AptSources.DefaultFile)}",
                "-o", $"Dir::Etc::SourceParts={HostCommand.Rooted(root, "/etc/apt/sources.list.d")}",
                "-o", $"Dir::State::Lists={HostCommand.Rooted(root, "/var/lib/apt/lists")}", "-o", "Debug::NoLocking=1"]);
            Directory.CreateDirectory(HostCommand.Rooted(root, "/var/lib/apt/lists/partial"));
        }
        var result = await HostCommand.RunAsync(runner, "apt-get", args, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ModuleException(result.Stderr.TrimEnd('\n'));
        }
    }

    private async Task<object?> ModRepoAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var repo = call.RequireString("repo");
        var kwargs = call.ExtraKwargs;
        // The pkgrepo state's clean_file: empty the file before the repo is configured.
        if (DataTree.IsTruthy(kwargs.GetValueOrDefault("clean_file")) && kwargs.GetValueOrDefault("file") is string cleaned && cleaned.Length > 0)
        {
            var cleanedPath = HostCommand.Rooted(root, cleaned);
            Directory.CreateDirectory(Path.GetDirectoryName(cleanedPath)!);
            await File.WriteAllTextAsync(cleanedPath, string.Empty, cancellationToken).ConfigureAwait(false);
        }
        var sources = Load(call.Context);
        var wanted = AptSources.Entry.Parse(repo);
        if (wanted.Invalid)
        {
            throw new ModuleException($"Error: repo '{repo}' not a well formatted definition");
        }
        var aptkey = call.GetBool("aptkey", true) && HostCommand.Which("apt-key");
        var signedBy = wanted.SignedBy;
        if (!aptkey && signedBy.Length == 0)
        {
            throw new ModuleException("missing 'signedby' option when apt-key is missing");
        }
        await KeysAsync(call, kwargs, aptkey, signedBy, cancellationToken).ConfigureAwait(false);
        var fullComps = new HashSet<string>(wanted.Comps.Select(c => c.Trim()), StringComparer.Ordinal);
        var comps = kwargs.TryGetValue("comps", out var compsValue) && compsValue is not null
            ? Split(compsValue) : fullComps.ToList();
        fullComps.UnionWith(comps);
        var architectures = kwargs.TryGetValue("architectures", out var archValue) && archValue is not null ? Split(archValue) : wanted.Architectures;
        bool? disabled = kwargs.TryGetValue("disabled", out var d) && d is not null ? DataTree.IsTruthy(d)
            : kwargs.TryGetValue("enabled", out var e) && e is not null ? !DataTree.IsTruthy(e) : null;
        var kwType = kwargs.GetValueOrDefault("type") as string;
        var kwDist = kwargs.GetValueOrDefault("dist") as string;
        AptSources.Entry? modSource = null;
        foreach (var source in sources.Entries)
        {
            var repoMatches = source.Type == wanted.Type && source.Uri.TrimEnd('/') == wanted.Uri.TrimEnd('/') && source.Dist == wanted.Dist;
            var kwMatches = source.Dist == kwDist && source.Type == kwType;
            if (repoMatches || kwMatches)
            {
                if (fullComps.Any(source.Comps.Contains) || source.Comps.Count == 0 || !architectures.SequenceEqual(source.Architectures))
                {
                    modSource = source;
                    break;
                }
            }
        }
        var comment = kwargs.TryGetValue("comments", out var comments) && comments is not null ? CombineComments(comments) : null;
        if (modSource is null)
        {
            modSource = AptSources.Entry.Parse(repo);
            sources.Entries.Add(modSource);
        }
        if (comment is not null)
        {
            modSource.Comment = comment;
        }
        modSource.Comps = comps;
        modSource.Architectures = architectures;
        if (disabled is { } off)
        {
            modSource.Disabled = off;
        }
        if (kwargs.GetValueOrDefault("file") is string file && file.Length > 0)
        {
            modSource.File = file;
        }
        if (kwDist is { Length: > 0 })
        {
            modSource.Dist = kwDist;
        }
        modSource.SignedBy = signedBy;
        modSource.Uri = wanted.Uri;
        modSource.Line = modSource.RepoLine();
        sources.Save();
        var refresh = kwargs.TryGetValue("refresh_db", out var rdb) ? DataTree.IsTruthy(rdb) : !kwargs.TryGetValue("refresh", out var r) || DataTree.IsTruthy(r);
        if (refresh)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        var info = modSource.ToRepo();
        info.Remove("dist");
        info["line"] = modSource.Line;
        return new Dictionary<string, object?>(StringComparer.Ordinal) { [repo] = info };
    }

    /// <summary>Imports the repository key: with signed-by into that keyring file, else with apt-key (Salt's order: keyid, key_url, key_text).</summary>
    private async Task KeysAsync(ModuleCall call, IReadOnlyDictionary<string, object?> kwargs, bool aptkey, string signedBy, CancellationToken cancellationToken)
    {
        var keyring = signedBy.Length > 0 ? HostCommand.Rooted(root, signedBy) : null;
        if (kwargs.TryGetValue("keyid", out var keyidValue) && keyidValue is not null)
        {
            var keyserver = kwargs.GetValueOrDefault("keyserver") as string;
            if (keyserver is null)
            {
                throw new ModuleException("both keyserver and keyid options required.");
            }
            foreach (var key in keyidValue is List<object?> ids ? ids.Select(PyText.Str) : [PyText.Str(keyidValue)])
            {
                List<string> args = keyring is not null && !aptkey
                    ? ["--batch", "--no-default-keyring", "--keyring", keyring, "--keyserver", keyserver, "--recv-keys", key]
                    : ["adv", "--batch", "--keyserver", keyserver, "--logger-fd", "1", "--recv-keys", key];
                var result = await HostCommand.RunAsync(runner, keyring is not null && !aptkey ? "gpg" : "apt-key", args, cancellationToken, mergeStderr: true)
                    .ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    throw new ModuleException($"Error: key retrieval failed: {HostCommand.Out(result)}");
                }
            }
        }
        else if (kwargs.GetValueOrDefault("key_url") is string keyUrl)
        {
            var cached = keyUrl.StartsWith("salt://", StringComparison.Ordinal) && call.Context.Files is { } files
                ? await files.CacheFileAsync(keyUrl, call.GetString("saltenv") ?? "base", cancellationToken).ConfigureAwait(false)
                : keyUrl.StartsWith("file://", StringComparison.Ordinal) ? keyUrl["file://".Length..] : keyUrl.StartsWith('/') ? keyUrl : null;
            if (cached is null || !File.Exists(cached))
            {
                throw new ModuleException($"Error: file not found: {keyUrl}");
            }
            await AddKeyAsync(await File.ReadAllBytesAsync(cached, cancellationToken).ConfigureAwait(false), keyring, keyUrl, cancellationToken).ConfigureAwait(false);
        }
        else if (kwargs.GetValueOrDefault("key_text") is string keyText)
        {
            await AddKeyAsync(System.Text.Encoding.UTF8.GetBytes(keyText), keyring, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AddKeyAsync(byte[] key, string? keyring, string? source, CancellationToken cancellationToken)
    {
        if (keyring is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyring)!);
            if (System.Text.Encoding.ASCII.GetString(key, 0, Math.Min(key.Length, 64)).Contains("-----BEGIN PGP", StringComparison.Ordinal))
            {
                var dearmored = await HostCommand.RunAsync(runner, "gpg", ["--batch", "--yes", "--dearmor", "-o", keyring], cancellationToken,
                    stdin: System.Text.Encoding.ASCII.GetString(key)).ConfigureAwait(false);
                if (dearmored.ExitCode != 0)
                {
                    throw new ModuleException($"Error: failed to add key{(source is null ? string.Empty : " from " + source)}: {dearmored.Stderr.Trim()}");
                }
                return;
            }
            await File.WriteAllBytesAsync(keyring, key, cancellationToken).ConfigureAwait(false);
            return;
        }
        var result = await HostCommand.RunAsync(runner, "apt-key", ["add", "-"], cancellationToken, stdin: System.Text.Encoding.ASCII.GetString(key))
            .ConfigureAwait(false);
        if (!result.Stdout.TrimStart().StartsWith("OK", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModuleException(source is null ? $"Error: failed to add key:\n{System.Text.Encoding.ASCII.GetString(key)}" : $"Error: failed to add key from {source}");
        }
    }

    private static List<string> Split(object value) =>
        value is List<object?> list ? list.Select(v => PyText.Str(v).Trim()).ToList() : PyText.Str(value).Split(',').Select(v => v.Trim()).ToList();

    /// <summary>Salt's <c>combine_comments</c>: a list or a value joined into one line.</summary>
    public static string CombineComments(object comments) =>
        (comments is List<object?> list ? string.Join(' ', list.Select(PyText.Str)) : PyText.Str(comments)).Trim();
}

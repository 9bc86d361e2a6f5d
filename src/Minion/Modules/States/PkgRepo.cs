using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>pkgrepo</c> states on Debian: APT sources lines through <c>pkg.get_repo</c>/<c>mod_repo</c>/<c>del_repo</c>.</summary>
[StateModule("pkgrepo")]
public sealed class PkgRepoState : IStateModule
{
    private static readonly string[] _notPassed = ["ppa", "copr", "aptkey", "enabled", "disabled", "allow_insecure_key", "humanname"];

    public string Doc => "Management of APT/RPM package repos (the Debian family is implemented).";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("managed", [FunctionParameter.Req("name")], ManagedAsync,
            "This state manages software package repositories.\n\nname\n    On apt-based systems this must be the complete entry as it would " +
            "be seen in the sources.list file, e.g. 'deb [arch=amd64 signed-by=/etc/apt/keyrings/x.gpg] http://example.com/debian bookworm main'\n\n" +
            "file\n    The filename for the .list that the repository is configured in.\n\ndist / comps / architectures\n    Override the parts " +
            "of the line (comps and architectures as comma separated lists).\n\nkeyid / keyserver\n    Import the key with that id from that " +
            "keyserver (into the signed-by keyring when the line has one).\n\nkey_url / key_text\n    The GPG key, from a URL (salt://, file:// " +
            "or a path) or as text. Use only one of keyid/keyserver, key_url and key_text.\n\ncomments\n    Text (or a list) appended to the line " +
            "after a #.\n\nclean_file : False\n    Empty the file before configuring the defined repository.\n\nrefresh : True\n    If set to False " +
            "this will skip refreshing the apt package database.\n\naptkey\n    Use apt-key (when installed) for keys of lines without signed-by.\n\n" +
            "In test mode nothing is downloaded or imported: only the configured sources are compared."),
        new("absent", [FunctionParameter.Req("name")], AbsentAsync,
            "This function deletes the specified repo on the system, if it exists. It is essentially a wrapper around pkg.del_repo.\n\nname\n    " +
            "The name of the package repo, as it would be referred to when running the regular package manager commands (the complete " +
            "sources line on Debian).\n\nkeyid\n    If passed, then the GPG key corresponding to the passed KeyID will also be removed."),
    ];

    private static Dictionary<string, object?> Kwargs(StateCall c) =>
        c.Args.Where(kv => kv.Key != "name" && !_notPassed.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static bool Same(object? a, object? b) => DataTree.ToJson(a, indent: false) == DataTree.ToJson(b, indent: false);

    private static List<string> SplitList(object? value) =>
        value is List<object?> list ? list.Select(v => PyText.Str(v).Trim()).ToList() : PyText.Str(value).Split(',').Select(v => v.Trim()).ToList();

    /// <summary>Salt's <c>_expand_repo_def</c>: the definition with the state's overrides, as the sources file would hold it.</summary>
    private static Dictionary<string, object?> Expand(string repo, Dictionary<string, object?> kwargs)
    {
        var entry = AptSources.Entry.Parse(repo);
        if (kwargs.TryGetValue("comps", out var comps) && comps is not null)
        {
            entry.Comps = SplitList(comps);
        }
        if (kwargs.TryGetValue("architectures", out var arch) && arch is not null)
        {
            entry.Architectures = SplitList(arch);
        }
        if (kwargs.GetValueOrDefault("uri") is string uri)
        {
            entry.Uri = uri;
        }
        if (kwargs.GetValueOrDefault("dist") is string dist)
        {
            entry.Dist = dist;
        }
        var normal = AptSources.Normalised(entry);
        var info = normal.ToRepo();
        info["signedby"] = entry.SignedBy;
        return info;
    }

    private static bool Differs(string key, object? want, Dictionary<string, object?> pre, Dictionary<string, object?> kwargs)
    {
        if (!pre.TryGetValue(key, out var have))
        {
            return true;
        }
        switch (key)
        {
            case "comps":
                return !SplitList(want).Order(StringComparer.Ordinal).SequenceEqual(SplitList(have).Order(StringComparer.Ordinal));
            case "line":
                var wantWords = PyText.Str(want).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
                var haveText = PyText.Str(have);
                var hash = haveText.IndexOf('#', StringComparison.Ordinal);
                var preComments = hash >= 0 ? haveText[(hash + 1)..].Trim() : string.Empty;
                var haveWords = (hash >= 0 ? haveText[..hash] : haveText).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
                static List<string> Sorted(List<string> words) => [.. words.Take(3), .. words.Skip(3).Order(StringComparer.Ordinal)];
                if (!Sorted(wantWords).SequenceEqual(Sorted(haveWords)))
                {
                    return true;
                }
                return kwargs.TryGetValue("comments", out var comments) && comments is not null && preComments != PkgRepo.CombineComments(comments);
            case "architectures" when want is List<object?> { Count: > 0 } wantArch:
                return !new HashSet<string>(wantArch.Select(PyText.Str)).SetEquals(SplitList(have));
            default:
                return PyText.Str(want) != PyText.Str(have);
        }
    }

    private static async Task<StateReturn> ManagedAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = new StateReturn { Name = name, Result = null };
        if (!c.Context.Modules.Exists("pkg.get_repo"))
        {
            return StateReturn.Fail(name, "Repo management not implemented on this platform");
        }
        if (c.Has("key_url") && (c.Has("keyid") || c.Has("keyserver")))
        {
            return StateReturn.Fail(name, "You may not use both \"keyid\"/\"keyserver\" and \"key_url\" argument.");
        }
        if (c.Has("key_text") && (c.Has("keyid") || c.Has("keyserver")))
        {
            return StateReturn.Fail(name, "You may not use both \"keyid\"/\"keyserver\" and \"key_text\" argument.");
        }
        if (c.Has("key_text") && c.Has("key_url"))
        {
            return StateReturn.Fail(name, "You may not use both \"key_url\" and \"key_text\" argument.");
        }
        if (c.Args.ContainsKey("repo"))
        {
            return StateReturn.Fail(name, "'repo' is not a supported argument for this state. The 'name' argument is probably what was intended.");
        }
        if (c.Has("enabled") && c.Has("disabled"))
        {
            return StateReturn.Fail(name, "Only one of enabled/disabled is allowed");
        }
        if (c.GetString("key_url") is { } keyUrl && keyUrl.Trim().StartsWith("http:", StringComparison.Ordinal) && !c.GetBool("allow_insecure_key", true))
        {
            return StateReturn.Fail(name, "Cannot have 'key_url' using http with 'allow_insecure_key' set to True");
        }
        if (c.Context.Grains.GetValueOrDefault("os_family") as string != "Debian")
        {
            return StateReturn.Fail(name, $"pkgrepo.managed is not supported on this OS (os_family {c.Context.Grains.GetValueOrDefault("os_family") ?? "unknown"}): " +
                "only the Debian family is implemented");
        }
        var kwargs = Kwargs(c);
        Dictionary<string, object?> pre;
        try
        {
            pre = await StateInvoke.CallAsync(c, "pkg.get_repo", [name], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to examine repo '{name}': {e.Message}");
        }
        var sanitized = Expand(name, kwargs);
        if (pre.Count > 0)
        {
            pre.Remove("file");
            sanitized.Remove("file");
            if (!sanitized.Any(kv => Differs(kv.Key, kv.Value, pre, kwargs)))
            {
                return StateReturn.Ok(name, $"Package repo '{name}' already configured");
            }
        }
        if (c.Test)
        {
            ret.Comment = $"Package repo '{name}' would be configured. This may cause pkg states to behave differently than stated if this action " +
                "is repeated without test=True, due to the differences in the configured repositories.";
            if (pre.Count > 0)
            {
                foreach (var (key, value) in sanitized.Where(kv => !Same(kv.Value, pre.GetValueOrDefault(kv.Key))))
                {
                    ret.Changes[key] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["new"] = value, ["old"] = pre.GetValueOrDefault(key) };
                }
            }
            else
            {
                ret.Changes["repo"] = name;
            }
            return ret;
        }
        var modKwargs = new Dictionary<string, object?>(kwargs, StringComparer.Ordinal) { ["saltenv"] = c.Saltenv, ["aptkey"] = c.GetBool("aptkey", true) };
        try
        {
            await StateInvoke.CallAsync(c, "pkg.mod_repo", [name], modKwargs, ct).ConfigureAwait(false);
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to configure repo '{name}': {e.Message}");
        }
        try
        {
            var post = await StateInvoke.CallAsync(c, "pkg.get_repo", [name], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
            if (pre.Count > 0)
            {
                foreach (var key in sanitized.Keys.Where(k => !Same(post.GetValueOrDefault(k), pre.GetValueOrDefault(k))))
                {
                    ret.Changes[key] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["new"] = post.GetValueOrDefault(key), ["old"] = pre.GetValueOrDefault(key) };
                }
            }
            else
            {
                ret.Changes["repo"] = name;
            }
            ret.Result = true;
            ret.Comment = $"Configured package repo '{name}'";
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to confirm config of repo '{name}': {e.Message}");
        }
        return ret;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        if (c.Has("keyid") || c.Has("keyid_ppa"))
        {
            return StateReturn.Fail(name, "Repo key management is not implemented for this platform");
        }
        if (c.Context.Grains.GetValueOrDefault("os_family") as string != "Debian")
        {
            return StateReturn.Fail(name, $"pkgrepo.absent is not supported on this OS (os_family {c.Context.Grains.GetValueOrDefault("os_family") ?? "unknown"}): " +
                "only the Debian family is implemented");
        }
        // Salt's strip_uri: trailing slashes of http(s)/ftp URIs do not count.
        var stripped = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.StartsWith("http://", StringComparison.Ordinal) || w.StartsWith("https://", StringComparison.Ordinal) || w.StartsWith("ftp://", StringComparison.Ordinal)
                ? w.TrimEnd('/') : w));
        Dictionary<string, object?> repo;
        try
        {
            repo = await StateInvoke.CallAsync(c, "pkg.get_repo", [stripped], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to configure repo '{name}': {e.Message}");
        }
        if (repo.Count == 0)
        {
            return StateReturn.Ok(name, $"Package repo {name} is absent");
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"Package repo '{name}' will be removed. This may cause pkg states to behave differently than stated if " +
                "this action is repeated without test=True, due to the differences in the configured repositories.");
        }
        try
        {
            var kwargs = Kwargs(c);
            await StateInvoke.CallAsync(c, "pkg.del_repo", [stripped], kwargs, ct).ConfigureAwait(false);
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, e.Message);
        }
        var after = await StateInvoke.CallAsync(c, "pkg.get_repo", [stripped], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        if (after.Count > 0)
        {
            return StateReturn.Fail(name, $"Failed to remove repo {name}");
        }
        var ret = StateReturn.Ok(name, $"Removed repo {name}");
        ret.Changes["repo"] = name;
        return ret;
    }
}

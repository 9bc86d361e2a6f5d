using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// The file server's part of the master configuration: Salt's <c>fileserver_backend</c> and the <c>gitfs_*</c> keys
/// (remotes, base, root, mountpoint, saltenv white/blacklists, update interval).
/// </summary>
public sealed class GitfsOptions
{
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("fileserver_backend", ConfigKind.List, new List<object?> { "roots" },
            "File server backends in the order they are asked for a path (roots, gitfs); the first that has it wins."),
        new("gitfs_remotes", ConfigKind.List, new List<object?>(),
            "Git repositories gitfs serves: URLs, or {url: [{root: ..}, {mountpoint: ..}, {base: ..}, {name: ..}, {saltenv: [{env: [{ref: ..}]}]}]}."),
        new("gitfs_base", ConfigKind.String, null, "Branch or tag served as the base saltenv (master; main when unset and the repository has no master)."),
        new("gitfs_root", ConfigKind.String, "", "Subdirectory of each repository served as the root of salt://."),
        new("gitfs_mountpoint", ConfigKind.String, "", "salt:// prefix under which each repository's files appear."),
        new("gitfs_saltenv_whitelist", ConfigKind.List, new List<object?>(), "Saltenvs gitfs exposes (names or regexes); empty: all."),
        new("gitfs_saltenv_blacklist", ConfigKind.List, new List<object?>(), "Saltenvs gitfs never exposes (names or regexes)."),
        new("gitfs_update_interval", ConfigKind.Int, 60L, "Seconds between background fetches of the gitfs remotes."),
        .. GitCredentials.ConfigKeys("gitfs"),
    ];

    public List<string> Backends { get; set; } = ["roots"];
    public List<GitfsRemote> Remotes { get; set; } = [];
    public List<string> SaltenvWhitelist { get; set; } = [];
    public List<string> SaltenvBlacklist { get; set; } = [];
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when <c>fileserver_backend</c> names gitfs (Salt also accepts <c>git</c>).</summary>
    public bool Enabled => Backends.Any(IsGitfs);

    public static bool IsGitfs(string backend) => backend is "gitfs" or "git";

    /// <summary>Reads the keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static GitfsOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        var backends = config.GetStringList("fileserver_backend");
        foreach (var backend in backends.Where(b => b != "roots" && !IsGitfs(b)))
        {
            throw new ConfigException($"{path}: invalid value for 'fileserver_backend': unknown backend '{backend}' (known: roots, gitfs)");
        }
        var globalBase = config.TryGetValue("gitfs_base", out var b) && b is not null ? DataTree.KeyToString(b) : null;
        var root = config.GetString("gitfs_root");
        var mountpoint = config.GetString("gitfs_mountpoint");
        var credentials = GitCredentials.FromConfig(config, "gitfs");
        var remotes = new List<GitfsRemote>();
        foreach (var entry in config.TryGetValue("gitfs_remotes", out var list) && list is List<object?> l ? l : [])
        {
            var remote = ParseRemote(entry, globalBase, root, mountpoint, credentials, path);
            if (remote.Credentials.Problem(remote.Url) is { } problem)
            {
                throw Bad(path, remote.Url, problem);
            }
            remotes.Add(remote);
        }
        return new GitfsOptions
        {
            Backends = backends.Count == 0 ? ["roots"] : backends,
            Remotes = remotes,
            SaltenvWhitelist = config.GetStringList("gitfs_saltenv_whitelist"),
            SaltenvBlacklist = config.GetStringList("gitfs_saltenv_blacklist"),
            UpdateInterval = TimeSpan.FromSeconds(Math.Max(1, config.GetLong("gitfs_update_interval", 60))),
        };
    }

    private static GitfsRemote ParseRemote(object? entry, string? globalBase, string root, string mountpoint, GitCredentials credentials, string path)
    {
        switch (entry)
        {
            case string { Length: > 0 } url:
                return new GitfsRemote(url, url, Clean(root), Clean(mountpoint), globalBase, new Dictionary<string, string>(StringComparer.Ordinal))
                {
                    Credentials = credentials,
                };
            case Dictionary<string, object?> { Count: 1 } map:
                var (remoteUrl, settings) = map.First();
                var name = remoteUrl;
                var saltenvs = new Dictionary<string, string>(StringComparer.Ordinal);
                var remoteBase = globalBase;
                foreach (var setting in settings as List<object?> ?? [])
                {
                    if (setting is not Dictionary<string, object?> { Count: 1 } one)
                    {
                        throw Bad(path, remoteUrl, "each per-remote option must be a one-key mapping");
                    }
                    var (key, value) = one.First();
                    switch (key)
                    {
                        case "root": root = Text(value, path, remoteUrl, key); break;
                        case "mountpoint": mountpoint = Text(value, path, remoteUrl, key); break;
                        case "base": remoteBase = Text(value, path, remoteUrl, key); break;
                        case "name": name = Text(value, path, remoteUrl, key); break;
                        case "saltenv": ParseSaltenvs(value, saltenvs, path, remoteUrl); break;
                        case var option when GitCredentials.IsOption(option): credentials = Credential(credentials, key, value, path, remoteUrl); break;
                        default: throw Bad(path, remoteUrl, $"unknown per-remote option '{key}'");
                    }
                }
                return new GitfsRemote(remoteUrl, name, Clean(root), Clean(mountpoint), remoteBase, saltenvs) { Credentials = credentials };
            default:
                throw new ConfigException($"{path}: invalid value for 'gitfs_remotes': each entry must be a URL or a one-key mapping of a URL to its options");
        }
    }

    private static void ParseSaltenvs(object? value, Dictionary<string, string> saltenvs, string path, string url)
    {
        // - saltenv: [{dev: [{ref: develop}]}]
        foreach (var item in value as List<object?> ?? throw Bad(path, url, "saltenv must be a list of {env: [{ref: ...}]}"))
        {
            foreach (var (env, options) in item as Dictionary<string, object?> ?? throw Bad(path, url, "saltenv entries must be mappings"))
            {
                var reference = (options as List<object?> ?? [])
                    .OfType<Dictionary<string, object?>>().Select(o => o.GetValueOrDefault("ref")).FirstOrDefault(r => r is not null);
                saltenvs[env] = reference is null ? throw Bad(path, url, $"saltenv '{env}' needs a ref") : DataTree.KeyToString(reference);
            }
        }
    }

    private static GitCredentials Credential(GitCredentials credentials, string key, object? value, string path, string url)
    {
        try
        {
            return credentials.With(key, value);
        }
        catch (ArgumentException e)
        {
            throw Bad(path, url, $"'{key}' {e.Message}");
        }
    }

    private static string Text(object? value, string path, string url, string key) =>
        value is null or List<object?> or Dictionary<string, object?> ? throw Bad(path, url, $"'{key}' must be a string") : DataTree.KeyToString(value);

    private static ConfigException Bad(string path, string url, string why) =>
        new($"{path}: invalid value for 'gitfs_remotes' ({url}): {why}");

    // Roots and mountpoints are relative slash paths: Salt strips their slashes and a salt:// prefix.
    private static string Clean(string value)
    {
        var trimmed = value.Trim();
        return (trimmed.StartsWith("salt://", StringComparison.Ordinal) ? trimmed["salt://".Length..] : trimmed).Trim('/');
    }
}

using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// The <c>git</c> entries of Salt's <c>ext_pillar</c> and the global <c>git_pillar_*</c> keys. Remotes are
/// <c>"branch url"</c> (or a bare URL, the base branch), optionally as a one-key mapping to per-remote options
/// (<c>root</c>, <c>env</c>, <c>name</c>). Other ext_pillar kinds are refused: this master only has git.
/// </summary>
public sealed class GitPillarOptions
{
    public const string EnvBranch = "__env__";

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("ext_pillar", ConfigKind.List, new List<object?>(),
            "External pillars merged after pillar_roots: - git: [\"branch url\", {\"branch url\": [{root: ..}, {env: ..}]}]."),
        new("git_pillar_base", ConfigKind.String, "master", "The branch of a git_pillar remote that is the base pillar environment."),
        new("git_pillar_root", ConfigKind.String, "", "Subdirectory of each git_pillar remote that holds top.sls and the SLS files."),
        new("git_pillar_env", ConfigKind.String, "", "Pillar environment of every git_pillar remote (default: its branch; the base branch is base)."),
        new("git_pillar_update_interval", ConfigKind.Int, 60L, "Seconds between background fetches of the git_pillar remotes."),
        .. GitCredentials.ConfigKeys("git_pillar"),
    ];

    public List<GitPillarRemote> Remotes { get; set; } = [];

    public string Base { get; set; } = "master";

    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => Remotes.Count > 0;

    /// <summary>Reads the keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static GitPillarOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        var baseBranch = config.GetString("git_pillar_base") is { Length: > 0 } b ? b : "master";
        var root = config.GetString("git_pillar_root").Trim('/');
        var env = config.GetString("git_pillar_env");
        var credentials = GitCredentials.FromConfig(config, "git_pillar");
        var remotes = new List<GitPillarRemote>();
        foreach (var entry in config.TryGetValue("ext_pillar", out var list) && list is List<object?> l ? l : [])
        {
            if (entry is not Dictionary<string, object?> { Count: 1 } one)
            {
                throw new ConfigException($"{path}: invalid value for 'ext_pillar': each entry must be a one-key mapping such as 'git: [...]'");
            }
            var (kind, value) = one.First();
            if (kind != "git")
            {
                throw new ConfigException($"{path}: invalid value for 'ext_pillar': unknown external pillar '{kind}' (known: git)");
            }
            foreach (var remote in value as List<object?> ?? [value])
            {
                var parsed = ParseRemote(remote, baseBranch, root, env, credentials, path);
                if (parsed.Credentials.Problem(parsed.Url) is { } problem)
                {
                    throw Bad(path, parsed.Id, problem);
                }
                remotes.Add(parsed);
            }
        }
        return new GitPillarOptions
        {
            Remotes = remotes,
            Base = baseBranch,
            UpdateInterval = TimeSpan.FromSeconds(Math.Max(1, config.GetLong("git_pillar_update_interval", 60))),
        };
    }

    private static GitPillarRemote ParseRemote(object? entry, string baseBranch, string root, string globalEnv, GitCredentials credentials, string path)
    {
        string spec;
        var options = new List<object?>();
        switch (entry)
        {
            case string { Length: > 0 } s:
                spec = s;
                break;
            case Dictionary<string, object?> { Count: 1 } map:
                spec = map.First().Key;
                options = map.First().Value as List<object?>
                    ?? throw Bad(path, spec, "per-remote options must be a list of one-key mappings");
                break;
            default:
                throw new ConfigException($"{path}: invalid value for 'ext_pillar' (git): each remote must be \"branch url\" or a one-key mapping of it to its options");
        }
        var parts = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (branch, url) = parts.Length switch
        {
            1 => (baseBranch, parts[0]),
            2 => (parts[0], parts[1]),
            _ => throw Bad(path, spec, "expected \"branch url\""),
        };
        string? env = globalEnv.Length > 0 ? globalEnv : null;
        var name = $"{branch} {url}";
        foreach (var option in options)
        {
            if (option is not Dictionary<string, object?> { Count: 1 } kv)
            {
                throw Bad(path, spec, "each per-remote option must be a one-key mapping");
            }
            var (key, value) = kv.First();
            if (GitCredentials.IsOption(key))
            {
                try
                {
                    credentials = credentials.With(key, value);
                }
                catch (ArgumentException e)
                {
                    throw Bad(path, spec, $"'{key}' {e.Message}");
                }
                continue;
            }
            var text = value is null or List<object?> or Dictionary<string, object?> ? throw Bad(path, spec, $"'{key}' must be a string") : DataTree.KeyToString(value);
            switch (key)
            {
                case "root": root = text.Trim('/'); break;
                case "env": env = text; break;
                case "name": name = text; break;
                default: throw Bad(path, spec, $"unknown per-remote option '{key}' (known: root, env, name, and the credential options)");
            }
        }
        env ??= branch == baseBranch || branch == EnvBranch ? "base" : branch;
        return new GitPillarRemote(name, url, branch, env, root) { Credentials = credentials };
    }

    private static ConfigException Bad(string path, string remote, string why) =>
        new($"{path}: invalid value for 'ext_pillar' (git remote {remote}): {why}");
}

using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The master's eauth and ACL configuration: Salt's <c>external_auth</c>, <c>publisher_acl</c>,
/// <c>publisher_acl_blacklist</c>, <c>token_expire</c>, <c>keep_acl_in_token</c> and <c>auth.pam.service</c>.
/// </summary>
public sealed class EauthOptions
{
    /// <summary>The eauth backends this master has.</summary>
    public static readonly IReadOnlyList<string> Backends = ["file", "pam"];

    public const double DefaultTokenExpire = 43200;

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("external_auth", ConfigKind.Map, new Dictionary<string, object?>(),
            "Eauth backends (pam, file) → user, group% or '*' → permissions, as Salt's; file takes ^filename, ^filetype..."),
        new("publisher_acl", ConfigKind.Map, new Dictionary<string, object?>(),
            "Local users (or group%) of the orch CLI → permissions, as Salt's; root and the master's user may do anything."),
        new("publisher_acl_blacklist", ConfigKind.Map, new Dictionary<string, object?>(),
            "users: and modules: (text, glob or regex) refused for every local CLI user, even one an ACL allows."),
        new("token_expire", ConfigKind.Int, (long)DefaultTokenExpire, "Seconds an eauth token is valid."),
        new("keep_acl_in_token", ConfigKind.Bool, false, "Store the permissions in the token at login instead of reading the config on each use."),
        new("auth.pam.service", ConfigKind.String, "login", "The PAM service the pam eauth authenticates with."),
    ];

    /// <summary>Backend → principal (user name pattern, <c>group%</c> or <c>*</c>) → permissions; the <c>^</c> settings are not in here.</summary>
    public Dictionary<string, Dictionary<string, List<object?>>> ExternalAuth { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The <c>file</c> backend's settings; null when <c>external_auth</c> has no <c>file</c>.</summary>
    public FileEauthOptions? File { get; init; }

    /// <summary>Salt's <c>auth.pam.service</c>.</summary>
    public string PamService { get; init; } = "login";

    /// <summary>Local user (or <c>group%</c>) → permissions for the orch CLI.</summary>
    public Dictionary<string, List<object?>> PublisherAcl { get; init; } = new(StringComparer.Ordinal);

    /// <summary>User name patterns refused publishing (the CLI's and the REST API's), as Salt's publisher_acl_blacklist.</summary>
    public List<string> BlacklistUsers { get; init; } = [];

    /// <summary>Function patterns refused publishing, whoever asks.</summary>
    public List<string> BlacklistModules { get; init; } = [];

    /// <summary>
    /// Why <c>publisher_acl_blacklist</c> refuses <paramref name="user"/> running <paramref name="function"/> (empty: only
    /// the user is checked), or null. Salt checks it on every publish, whatever the way in.
    /// </summary>
    public string? Blacklisted(string user, string function)
    {
        if (BlacklistUsers.Any(pattern => new Shared.Targeting.ExprMatch(pattern).IsMatch(user)))
        {
            return $"user {user} is not permitted to use the master: the user is in publisher_acl_blacklist";
        }
        return function.Length > 0 && BlacklistModules.FirstOrDefault(pattern => new Shared.Targeting.ExprMatch(pattern).IsMatch(function)) is { } module
            ? $"user {user} is not permitted to run '{function}': it is in publisher_acl_blacklist (modules: '{module}')"
            : null;
    }

    /// <summary>Seconds an eauth token is valid.</summary>
    public double TokenExpire { get; init; } = DefaultTokenExpire;

    /// <summary>Salt's <c>keep_acl_in_token</c>.</summary>
    public bool KeepAclInToken { get; init; }

    /// <summary>Whether local non-root users may use the CLI (a <c>publisher_acl</c> is configured).</summary>
    public bool PublisherAclEnabled => PublisherAcl.Count > 0;

    /// <summary>Reads the eauth keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static EauthOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        var external = new Dictionary<string, Dictionary<string, List<object?>>>(StringComparer.Ordinal);
        FileEauthOptions? file = null;
        foreach (var (backend, value) in config.GetMap("external_auth"))
        {
            if (!Backends.Contains(backend))
            {
                throw new ConfigException(
                    $"{path}: 'external_auth:{backend}' is not an eauth backend this master has (it has {string.Join(", ", Backends)})");
            }
            var section = value as Dictionary<string, object?>
                ?? throw new ConfigException($"{path}: invalid value for 'external_auth:{backend}': expected a mapping of users to permission lists");
            external[backend] = ReadAcl(section, $"external_auth:{backend}", path);
            if (backend == "file")
            {
                file = FileEauthOptions.FromConfig(section, path);
            }
        }
        var blacklist = config.GetMap("publisher_acl_blacklist");
        foreach (var key in blacklist.Keys.Where(k => k is not ("users" or "modules")))
        {
            throw new ConfigException($"{path}: unknown key 'publisher_acl_blacklist:{key}': expected users or modules");
        }
        var expire = config.GetLong("token_expire", (long)DefaultTokenExpire);
        if (expire <= 0)
        {
            throw new ConfigException($"{path}: invalid value for 'token_expire': expected seconds above 0, got {expire}");
        }
        var service = config.GetString("auth.pam.service", "login");
        if (service.Length == 0 || service.Contains('/', StringComparison.Ordinal))
        {
            throw new ConfigException($"{path}: invalid value for 'auth.pam.service': expected a PAM service name, got '{service}'");
        }
        return new EauthOptions
        {
            ExternalAuth = external,
            File = file,
            PamService = service,
            PublisherAcl = ReadAcl(config.GetMap("publisher_acl"), "publisher_acl", path),
            BlacklistUsers = Patterns(blacklist, "users", path),
            BlacklistModules = Patterns(blacklist, "modules", path),
            TokenExpire = expire,
            KeepAclInToken = config.GetBool("keep_acl_in_token"),
        };
    }

    private static Dictionary<string, List<object?>> ReadAcl(Dictionary<string, object?> section, string where, string path)
    {
        var acl = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        foreach (var (principal, perms) in section)
        {
            if (principal.StartsWith('^'))
            {
                continue;
            }
            acl[principal] = perms switch
            {
                List<object?> list => list.Select(p => CheckPerm(p, $"{where}:{principal}", path)).ToList(),
                // A lone function pattern is a common shorthand for a one-item list.
                string one => [one],
                _ => throw new ConfigException($"{path}: invalid value for '{where}:{principal}': expected a list of permissions"),
            };
        }
        return acl;
    }

    private static object? CheckPerm(object? perm, string where, string path) => perm switch
    {
        string s when s.Length > 0 => s,
        Dictionary<string, object?> { Count: 1 } map when map.Values.Single() is List<object?> or string => map,
        _ => throw new ConfigException(
            $"{path}: invalid permission under '{where}': expected a function pattern, '@runner'/'@wheel'/'@jobs', or a one-key mapping of a target to a list of functions, got {PyText.Repr(perm)}"),
    };

    private static List<string> Patterns(Dictionary<string, object?> section, string key, string path) => section.GetValueOrDefault(key) switch
    {
        null => [],
        List<object?> list => list.Select(DataTree.KeyToString).ToList(),
        string one => [one],
        _ => throw new ConfigException($"{path}: invalid value for 'publisher_acl_blacklist:{key}': expected a list of patterns"),
    };
}

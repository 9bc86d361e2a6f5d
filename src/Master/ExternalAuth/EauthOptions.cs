using Orchestrator.Shared.Config;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>The master's eauth and ACL configuration: Salt's <c>external_auth</c>, <c>publisher_acl</c>, <c>token_expire</c> and friends.</summary>
public sealed class EauthOptions
{
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("external_auth", ConfigKind.Map, new Dictionary<string, object?>(),
            "Eauth backends (pam, file) → user, group% or '*' → permissions, as Salt's."),
        new("publisher_acl", ConfigKind.Map, new Dictionary<string, object?>(),
            "Local users (or group%) of the orch CLI → permissions, as Salt's; root and the master's user may do anything."),
        new("publisher_acl_blacklist", ConfigKind.Map, new Dictionary<string, object?>(),
            "users: and modules: regexes refused even when an ACL allows them."),
        new("token_expire", ConfigKind.Int, 43200L, "Seconds an eauth token is valid."),
        new("keep_acl_in_token", ConfigKind.Bool, false, "Store the permissions in the token at login instead of reading the config on each use."),
    ];

    /// <summary>Backend name → (user, <c>group%</c> or <c>*</c>) → permissions.</summary>
    public Dictionary<string, object?> ExternalAuth { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Seconds an eauth token is valid.</summary>
    public double TokenExpire { get; set; } = 43200;

    /// <summary>Salt's <c>keep_acl_in_token</c>.</summary>
    public bool KeepAclInToken { get; set; }

    /// <summary>Reads the eauth keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static EauthOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        _ = path;
        return new EauthOptions
        {
            ExternalAuth = config.GetMap("external_auth"),
            TokenExpire = config.GetLong("token_expire", 43200),
            KeepAclInToken = config.GetBool("keep_acl_in_token"),
        };
    }
}

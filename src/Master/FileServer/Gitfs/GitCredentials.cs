using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// How a git remote is authenticated, in Salt's option names: <c>user</c>/<c>password</c> for http(s) (plain http only
/// with <c>insecure_auth</c>), <c>privkey</c>/<c>pubkey</c>/<c>passphrase</c> for ssh, and <c>ssl_verify</c>. Each is a
/// global <c>gitfs_*</c> / <c>git_pillar_*</c> key that a per-remote option overrides.
/// </summary>
public sealed record GitCredentials
{
    public static readonly GitCredentials None = new();

    private static readonly string[] Names = ["user", "password", "insecure_auth", "privkey", "pubkey", "passphrase", "ssl_verify"];

    public string User { get; init; } = "";
    public string Password { get; init; } = "";
    public bool InsecureAuth { get; init; }
    public string Privkey { get; init; } = "";
    public string Pubkey { get; init; } = "";
    public string Passphrase { get; init; } = "";
    public bool SslVerify { get; init; } = true;

    /// <summary>The global keys of a role (<c>gitfs</c>, <c>git_pillar</c>), for the configuration's key table.</summary>
    public static IEnumerable<ConfigKey> ConfigKeys(string prefix) =>
    [
        new($"{prefix}_user", ConfigKind.String, "", "User name for http(s) remotes."),
        new($"{prefix}_password", ConfigKind.String, "", "Password for http(s) remotes (never logged)."),
        new($"{prefix}_insecure_auth", ConfigKind.Bool, false, "Allow user/password over plain http."),
        new($"{prefix}_privkey", ConfigKind.String, "", "Private key file for ssh remotes."),
        new($"{prefix}_pubkey", ConfigKind.String, "", "Public key file for ssh remotes (OpenSSH derives it from the private key)."),
        new($"{prefix}_passphrase", ConfigKind.String, "", "Passphrase of the private key (never logged)."),
        new($"{prefix}_ssl_verify", ConfigKind.Bool, true, "Verify the TLS certificate of https remotes."),
    ];

    /// <summary>The global defaults of a role read from the configuration.</summary>
    public static GitCredentials FromConfig(IReadOnlyDictionary<string, object?> config, string prefix) => new()
    {
        User = config.GetString($"{prefix}_user"),
        Password = config.GetString($"{prefix}_password"),
        InsecureAuth = config.GetBool($"{prefix}_insecure_auth"),
        Privkey = config.GetString($"{prefix}_privkey"),
        Pubkey = config.GetString($"{prefix}_pubkey"),
        Passphrase = config.GetString($"{prefix}_passphrase"),
        SslVerify = config.GetBool($"{prefix}_ssl_verify", true),
    };

    public static bool IsOption(string key) => Names.Contains(key, StringComparer.Ordinal);

    /// <summary>These credentials with one per-remote option set; the value is text or a boolean as Salt takes it.</summary>
    public GitCredentials With(string key, object? value) => key switch
    {
        "user" => this with { User = Text(value) },
        "password" => this with { Password = Text(value) },
        "insecure_auth" => this with { InsecureAuth = DataTree.IsTruthy(value) },
        "privkey" => this with { Privkey = Text(value) },
        "pubkey" => this with { Pubkey = Text(value) },
        "passphrase" => this with { Passphrase = Text(value) },
        "ssl_verify" => this with { SslVerify = DataTree.IsTruthy(value) },
        _ => throw new ArgumentException($"unknown credential option '{key}'"),
    };

    /// <summary>
    /// Why these credentials cannot be used for <paramref name="url"/>, or null. As Salt, user/password go over plain
    /// http only with <c>insecure_auth</c>, a user needs a password, and an ssh key must be a readable file.
    /// </summary>
    public string? Problem(string url)
    {
        var scheme = Scheme(url);
        if (User.Length > 0 != Password.Length > 0)
        {
            return "user and password must be given together";
        }
        if (User.Length > 0 && scheme == "http" && !InsecureAuth)
        {
            return "authentication is disabled by default on http remotes: use https, or set insecure_auth to True";
        }
        if (User.Length > 0 && scheme is not ("http" or "https"))
        {
            return "user/password are for http(s) remotes";
        }
        if (Privkey.Length > 0)
        {
            if (scheme != "ssh")
            {
                return "privkey is for ssh remotes";
            }
            if (!File.Exists(Privkey))
            {
                return $"privkey {Privkey} does not exist";
            }
        }
        return Pubkey.Length > 0 && !File.Exists(Pubkey) ? $"pubkey {Pubkey} does not exist" : null;
    }

    /// <summary>The transport of a remote URL: http, https, ssh (also scp-like <c>user@host:path</c>), file.</summary>
    public static string Scheme(string url)
    {
        var colon = url.IndexOf("://", StringComparison.Ordinal);
        if (colon > 0)
        {
            return url[..colon].ToLowerInvariant() is "git+ssh" or "ssh+git" ? "ssh" : url[..colon].ToLowerInvariant();
        }
        return url.Contains('@', StringComparison.Ordinal) && url.Contains(':', StringComparison.Ordinal) && !url.StartsWith('/') ? "ssh" : "file";
    }

    private static string Text(object? value) =>
        value is null or List<object?> or Dictionary<string, object?> ? throw new ArgumentException("must be a string") : DataTree.KeyToString(value);

    /// <summary>Never prints a password or passphrase, so a logged remote or record leaks nothing.</summary>
    public override string ToString() =>
        $"GitCredentials {{ User = {User}, Password = {(Password.Length > 0 ? "***" : "")}, Privkey = {Privkey}, SslVerify = {SslVerify} }}";
}

using System.Net;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// The master's <c>rest_api:</c> section: where the salt-api compatible REST API listens and what it allows. Without the
/// section the master runs no API at all.
/// </summary>
public sealed class ApiOptions
{
    public const int DefaultPort = 8000;

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("rest_api", ConfigKind.Map, null,
            "The REST API (salt-api's rest_cherrypy shapes) inside the master: {port, host, ssl_crt, ssl_key, disable_ssl, cors_origins, " +
            "webhooks, webhook_disable_auth, login_rate_limit}; unset runs no API."),
    ];

    private static readonly HashSet<string> Known =
        ["port", "host", "ssl_crt", "ssl_key", "disable_ssl", "cors_origins", "webhooks", "webhook_disable_auth", "login_rate_limit"];

    /// <summary>TCP port; 0 lets the OS choose (tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address to bind: an IP address or <c>localhost</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>PEM certificate; required unless <see cref="DisableSsl"/>.</summary>
    public string SslCrt { get; set; } = "";

    /// <summary>PEM private key of <see cref="SslCrt"/>.</summary>
    public string SslKey { get; set; } = "";

    /// <summary>Plain HTTP; refused unless <see cref="Host"/> is a loopback address.</summary>
    public bool DisableSsl { get; set; }

    /// <summary>Origins allowed cross-origin requests; empty: CORS off (no CORS headers at all).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Whether <c>POST /hook/{tag}</c> exists.</summary>
    public bool Webhooks { get; set; }

    /// <summary>Whether hooks are accepted without a token.</summary>
    public bool WebhookDisableAuth { get; set; }

    /// <summary><c>POST /login</c> attempts per minute from one client address (0: unlimited).</summary>
    public int LoginRateLimit { get; set; } = 10;

    /// <summary>Whether <see cref="Host"/> names only this machine.</summary>
    public bool IsLoopback => IsLoopbackHost(Host);

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Reads <c>rest_api:</c> of a loaded master configuration: null when the section is absent; a malformed or unsafe value fails
    /// naming the key and the file (plain HTTP on a non-loopback address, TLS without a readable certificate and key).
    /// </summary>
    public static ApiOptions? FromConfig(IReadOnlyDictionary<string, object?> config, string path, Action<string> warn)
    {
        if (config.GetValueOrDefault("rest_api") is not Dictionary<string, object?> section)
        {
            return null;
        }
        foreach (var key in section.Keys.Where(k => !Known.Contains(k)))
        {
            warn($"{path}: unknown key 'rest_api:{key}' ignored");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        var options = new ApiOptions
        {
            Port = (int)Long(section, "port", DefaultPort, 1, 65535, path),
            Host = Text(section, "host", "127.0.0.1"),
            SslCrt = Text(section, "ssl_crt", "") is { Length: > 0 } crt ? Path.GetFullPath(crt, dir) : "",
            SslKey = Text(section, "ssl_key", "") is { Length: > 0 } pem ? Path.GetFullPath(pem, dir) : "",
            DisableSsl = Bool(section, "disable_ssl", path),
            CorsOrigins = section.GetValueOrDefault("cors_origins") switch
            {
                null => [],
                string one => [one],
                List<object?> list => list.Where(o => o is not null).Select(DataTree.KeyToString).ToList(),
                _ => throw new ConfigException($"{path}: invalid value for 'rest_api:cors_origins': expected a list of origins"),
            },
            Webhooks = Bool(section, "webhooks", path),
            WebhookDisableAuth = Bool(section, "webhook_disable_auth", path),
            LoginRateLimit = (int)Long(section, "login_rate_limit", 10, 0, 1_000_000, path),
        };
        options.Validate(path, requireFiles: true);
        return options;
    }

    /// <summary>Fails with a <see cref="ConfigException"/> on an unsafe or incomplete combination.</summary>
    public void Validate(string source, bool requireFiles)
    {
        if (!IsLoopback && !IPAddress.TryParse(Host, out _))
        {
            throw new ConfigException($"{source}: invalid value for 'rest_api:host': expected an IP address or localhost, got '{Host}'");
        }
        if (DisableSsl)
        {
            if (!IsLoopback)
            {
                throw new ConfigException(
                    $"{source}: 'rest_api:disable_ssl: true' is refused for host '{Host}': plain HTTP would carry passwords and tokens " +
                    "over the network. Use it only with a loopback host (127.0.0.1, ::1, localhost), or give ssl_crt and ssl_key.");
            }
            return;
        }
        if (SslCrt.Length == 0 || SslKey.Length == 0)
        {
            throw new ConfigException(
                $"{source}: 'rest_api' needs ssl_crt and ssl_key (PEM files) unless disable_ssl: true on a loopback host");
        }
        if (requireFiles)
        {
            foreach (var (key, file) in new[] { ("ssl_crt", SslCrt), ("ssl_key", SslKey) })
            {
                if (!File.Exists(file))
                {
                    throw new ConfigException($"{source}: 'rest_api:{key}': no such file '{file}'");
                }
            }
        }
    }

    private static string Text(Dictionary<string, object?> section, string key, string fallback) =>
        section.GetValueOrDefault(key) is { } value ? DataTree.KeyToString(value) : fallback;

    private static bool Bool(Dictionary<string, object?> section, string key, string path) => section.GetValueOrDefault(key) switch
    {
        null => false,
        bool b => b,
        string s when s.ToLowerInvariant() is "true" or "yes" or "on" => true,
        string s when s.ToLowerInvariant() is "false" or "no" or "off" => false,
        var other => throw new ConfigException($"{path}: invalid value for 'rest_api:{key}': expected true or false, got '{DataTree.KeyToString(other)}'"),
    };

    private static long Long(Dictionary<string, object?> section, string key, long fallback, long min, long max, string path) =>
        section.GetValueOrDefault(key) switch
        {
            null => fallback,
            long l when l >= min && l <= max => l,
            string s when long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var l) && l >= min && l <= max => l,
            var other => throw new ConfigException(
                $"{path}: invalid value for 'rest_api:{key}': expected an integer from {min} to {max}, got '{DataTree.KeyToString(other)}'"),
        };
}

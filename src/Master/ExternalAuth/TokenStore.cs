using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// Eauth tokens, one private file per token under <c>cachedir/tokens</c> (0700 directory, 0600 files written atomically),
/// so they survive a master restart as Salt's <c>localfs</c> token store does.
/// </summary>
/// <remarks>
/// A token is 256 random bits in hex. Its file is named after the SHA-256 of the token, so neither a directory listing
/// nor a file's content gives a usable token away. Expiry is enforced on every <see cref="Find"/>.
/// </remarks>
public sealed class TokenStore
{
    private const int TokenBytes = 32;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    private readonly string _directory;
    private readonly EauthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenStore> _logger;
    private readonly Lock _sweepGate = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public TokenStore(MasterOptions options, TimeProvider time, ILogger<TokenStore> logger)
    {
        _directory = Path.Combine(options.CacheDir, "tokens");
        _options = options.Eauth;
        _time = time;
        _logger = logger;
    }

    /// <summary>Issues a token for <paramref name="who"/>; it expires <c>token_expire</c> seconds from now.</summary>
    /// <remarks><paramref name="perms"/> is stored in the token only with <c>keep_acl_in_token</c>.</remarks>
    public EauthToken Create(EauthIdentity who, IReadOnlyList<object?> perms)
    {
        PrivateFiles.EnsureDirectory(_directory);
        SweepNow();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = _time.GetUtcNow();
        var start = now.ToUnixTimeMilliseconds() / 1000.0;
        var record = new EauthToken(token, who.Name, who.Eauth, start, start + _options.TokenExpire, who.Groups,
            _options.KeepAclInToken ? perms : null);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = record.Name,
            ["eauth"] = record.Eauth,
            ["start"] = record.Start,
            ["expire"] = record.Expire,
            ["groups"] = record.Groups.Cast<object?>().ToList(),
        };
        if (record.Perms is not null)
        {
            data["auth_list"] = record.Perms.ToList();
        }
        PrivateFiles.WriteAtomic(PathOf(token), DataTree.ToJson(data, indent: false));
        EauthLog.TokenIssued(_logger, who.Name, who.Eauth, now.AddSeconds(_options.TokenExpire));
        return record;
    }

    /// <summary>The token's record; null when it is unknown, malformed or expired (an expired one is deleted).</summary>
    public EauthToken? Find(string token)
    {
        if (!WellFormed(token))
        {
            return null;
        }
        var path = PathOf(token);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EauthLog.TokenUnreadable(_logger, Path.GetFileName(path), e.Message);
            return null;
        }
        var record = Parse(token, text);
        if (record is null)
        {
            EauthLog.TokenUnreadable(_logger, Path.GetFileName(path), "not a token record");
            Delete(path);
            return null;
        }
        if (record.Expire <= Now())
        {
            Delete(path);
            EauthLog.TokenExpired(_logger, record.Name, record.Eauth);
            return null;
        }
        return record;
    }

    /// <summary>Deletes a token; false when there was none (or it was malformed).</summary>
    public bool Remove(string token) => WellFormed(token) && Delete(PathOf(token));

    /// <summary>Deletes every expired or unreadable token file; returns how many.</summary>
    public int RemoveExpired()
    {
        if (!Directory.Exists(_directory))
        {
            return 0;
        }
        var removed = 0;
        var now = Now();
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            // A token being written right now (PrivateFiles.WriteAtomic's temporary file) is not an unreadable one.
            if (path.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                var data = DataTree.FromJson(File.ReadAllText(path)) as Dictionary<string, object?>;
                if (data is null || Number(data.GetValueOrDefault("expire")) is not { } expire || expire <= now)
                {
                    removed += Delete(path) ? 1 : 0;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
            {
                removed += Delete(path) ? 1 : 0;
            }
        }
        if (removed > 0)
        {
            EauthLog.TokensSwept(_logger, removed);
        }
        return removed;
    }

    private void SweepNow()
    {
        var now = _time.GetUtcNow();
        lock (_sweepGate)
        {
            if (now - _lastSweep < SweepInterval)
            {
                return;
            }
            _lastSweep = now;
        }
        RemoveExpired();
    }

    private double Now() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private static bool WellFormed(string? token) =>
        token is { Length: TokenBytes * 2 } && token.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private string PathOf(string token) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token))));

    private static EauthToken? Parse(string token, string text)
    {
        try
        {
            if (DataTree.FromJson(text) is not Dictionary<string, object?> data
                || data.GetValueOrDefault("name") is not string { Length: > 0 } name
                || data.GetValueOrDefault("eauth") is not string eauth
                || Number(data.GetValueOrDefault("start")) is not { } start
                || Number(data.GetValueOrDefault("expire")) is not { } expire)
            {
                return null;
            }
            var groups = (data.GetValueOrDefault("groups") as List<object?> ?? []).OfType<string>().ToList();
            var perms = data.GetValueOrDefault("auth_list") as List<object?>;
            return new EauthToken(token, name, eauth, start, expire, groups, perms);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static double? Number(object? value) => value switch
    {
        double d => d,
        long l => l,
        _ => null,
    };

    private static bool Delete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

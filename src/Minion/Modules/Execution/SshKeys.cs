using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>One public key line of an authorized_keys file, as Salt's <c>ssh</c> module reads it.</summary>
internal sealed record SshAuthorizedKey(string Enc, string Comment, List<string> Options, string Fingerprint);

/// <summary>The pure parts of Salt's <c>ssh</c> module: key types, authorized_keys lines, fingerprints.</summary>
internal static partial class SshKeys
{
    private static readonly string[] _alsoAllowed =
    [
        "rsa-sha2-512", "rsa-sha2-256", "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
    ];

    /// <summary><c>{options} {enc} {key} [comment]</c> of an authorized_keys line.</summary>
    [GeneratedRegex(@"^(.*?)\s?((?:sk-)?(?:ssh\-|ecds)[\w@.-]+\s.+)$")]
    public static partial Regex LineRegex();

    /// <summary>The state's form of the same split (<c>[\w-]</c> for the key type).</summary>
    [GeneratedRegex(@"^(.*?)\s?((?:sk-)?(?:ssh\-|ecds)[\w-]+\s.+)$")]
    public static partial Regex FullKeyRegex();

    [GeneratedRegex(@"((.*)\s)?((?:sk-)?(?:ssh|ecdsa)-[a-z0-9@.-]+)\s([a-zA-Z0-9+/]+={0,2})(\s(.*))?")]
    private static partial Regex ReplaceRegex();

    /// <summary>Salt's <c>_refine_enc</c>: the canonical key type for a short or full name.</summary>
    public static string RefineEnc(string enc) => enc switch
    {
        "r" or "rsa" or "ssh-rsa" => "ssh-rsa",
        "d" or "dsa" or "dss" or "ssh-dss" => "ssh-dss",
        "e" or "ecdsa" => "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp521" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp256" => enc,
        "ed25519" or "ssh-ed25519" => "ssh-ed25519",
        _ when _alsoAllowed.Contains(enc) => enc,
        _ => throw new ModuleException($"Incorrect encryption key type '{enc}'."),
    };

    public static string FormatLine(string key, string enc, string comment, IReadOnlyList<string>? options)
    {
        var line = options is { Count: > 0 } ? string.Join(",", options) + " " : string.Empty;
        return line + $"{enc} {key} {comment}\n";
    }

    /// <summary>Salt's <c>_fingerprint</c>: the colon-separated hex digest of the decoded key; null when it is not base64.</summary>
    public static string? Fingerprint(string publicKey, string? hashType)
    {
        var type = (hashType ?? "sha256").ToLowerInvariant();
        byte[] raw;
        try
        {
            if (publicKey.Length % 4 != 0 || publicKey.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')))
            {
                return null;
            }
            raw = Convert.FromBase64String(publicKey);
        }
        catch (FormatException)
        {
            return null;
        }
        byte[] digest = type switch
        {
            "md5" => MD5.HashData(raw),
            "sha1" => SHA1.HashData(raw),
            "sha256" => SHA256.HashData(raw),
            "sha384" => SHA384.HashData(raw),
            "sha512" => SHA512.HashData(raw),
            _ => throw new ModuleException($"The fingerprint_hash_type {type} is not supported."),
        };
        var hex = Convert.ToHexStringLower(digest);
        var sb = new StringBuilder();
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                sb.Append(':');
            }
            sb.Append(hex, i, 2);
        }
        return sb.ToString();
    }

    /// <summary>Salt's <c>_validate_keys</c>: the keys of a file, by key, in file order.</summary>
    public static Dictionary<string, SshAuthorizedKey> ReadKeys(string path, string? hashType)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Problem reading ssh key file {path}");
        }
        var keys = new Dictionary<string, SshAuthorizedKey>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = LineRegex().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var comps = Words(match.Groups[2].Value);
            if (comps.Length < 2)
            {
                continue;
            }
            var options = match.Groups[1].Value.Length > 0 ? match.Groups[1].Value.Split(',').ToList() : [];
            if (Fingerprint(comps[1], hashType) is not { } fingerprint)
            {
                continue;
            }
            keys[comps[1]] = new SshAuthorizedKey(comps[0], string.Join(" ", comps.Skip(2)), options, fingerprint);
        }
        return keys;
    }

    /// <summary>The file's lines with <paramref name="key"/>'s line replaced (Salt's <c>_replace_auth_key</c>).</summary>
    public static string ReplaceKey(string text, string key, string authLine)
    {
        var sb = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                sb.Append(line).Append('\n');
                continue;
            }
            var match = ReplaceRegex().Match(line + "\n");
            sb.Append(match.Success && match.Groups[4].Value == key ? authLine : line + "\n");
        }
        return sb.ToString();
    }

    /// <summary>The file's lines without <paramref name="key"/> (Salt's <c>rm_auth_key</c>; non-key lines are dropped as there).</summary>
    public static string RemoveKey(string text, string key)
    {
        var sb = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                sb.Append(line).Append('\n');
                continue;
            }
            var match = LineRegex().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var comps = Words(match.Groups[2].Value);
            if (comps.Length >= 2 && comps[1] == key)
            {
                continue;
            }
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Salt's <c>_expand_authorized_keys_path</c>: <c>%%</c>, <c>%u</c> and <c>%h</c> tokens.</summary>
    public static string ExpandPath(string path, string user, string home)
    {
        var sb = new StringBuilder();
        var escape = false;
        foreach (var ch in path)
        {
            if (escape)
            {
                escape = false;
                sb.Append(ch switch
                {
                    '%' => "%",
                    'u' => user,
                    'h' => home,
                    _ => throw new ModuleException($"AuthorizedKeysFile path: unknown token character \"%{ch}\""),
                });
            }
            else if (ch == '%')
            {
                escape = true;
            }
            else
            {
                sb.Append(ch);
            }
        }
        if (escape)
        {
            throw new ModuleException("AuthorizedKeysFile path: Last character can't be escape character");
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>str.split()</c>: runs of whitespace separate, none empty.</summary>
    public static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

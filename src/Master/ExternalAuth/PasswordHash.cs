using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// Verifies a password against the hash an htpasswd, htdigest or text file holds; every comparison is constant-time.
/// </summary>
internal static class PasswordHash
{
    private const string Itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// An htpasswd entry: <c>$apr1$</c> (Apache's MD5), <c>{SHA}</c> (base64 SHA-1), or any crypt(3) hash libcrypt knows.
    /// Plain text is never accepted in an htpasswd file.
    /// </summary>
    public static bool VerifyHtpasswd(string password, string stored)
    {
        if (stored.StartsWith("$apr1$", StringComparison.Ordinal))
        {
            return SameText(Apr1(password, stored), stored);
        }
        if (stored.StartsWith("{SHA}", StringComparison.Ordinal))
        {
            return SameText("{SHA}" + Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(password))), stored);
        }
        if (stored.Length < 13)
        {
            return false;
        }
        return LibCrypt.Hash(password, stored) is { } computed && SameText(computed, stored);
    }

    /// <summary>An htdigest entry: hex MD5 of <c>user:realm:password</c>.</summary>
    public static bool VerifyHtdigest(string user, string realm, string password, string stored) =>
        SameText(Hex(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:{realm}:{password}"))), stored.ToLowerInvariant());

    /// <summary>A text file's password field: plain text, or the hex digest named by <c>^hashtype</c>.</summary>
    public static bool VerifyText(string hashtype, string password, string stored)
    {
        if (hashtype == "plaintext")
        {
            return SameText(password, stored);
        }
        var bytes = Encoding.UTF8.GetBytes(password);
        var digest = hashtype switch
        {
            "md5" => MD5.HashData(bytes),
            "sha1" => SHA1.HashData(bytes),
            "sha256" => SHA256.HashData(bytes),
            "sha384" => SHA384.HashData(bytes),
            "sha512" => SHA512.HashData(bytes),
            _ => null,
        };
        return digest is not null && SameText(Hex(digest), stored.ToLowerInvariant());
    }

    /// <summary>Apache's MD5-crypt (<c>$apr1$salt$hash</c>) of <paramref name="password"/> with the salt of <paramref name="setting"/>.</summary>
    public static string Apr1(string password, string setting)
    {
        const string magic = "$apr1$";
        var rest = setting[magic.Length..];
        var end = rest.IndexOf('$', StringComparison.Ordinal);
        var salt = Encoding.UTF8.GetBytes((end < 0 ? rest : rest[..end]) is var s && s.Length > 8 ? s[..8] : s);
        var pw = Encoding.UTF8.GetBytes(password);
        var alternate = MD5.HashData([.. pw, .. salt, .. pw]);
        var context = new List<byte>([.. pw, .. Encoding.ASCII.GetBytes(magic), .. salt]);
        for (var left = pw.Length; left > 0; left -= 16)
        {
            context.AddRange(alternate.AsSpan(0, Math.Min(left, 16)).ToArray());
        }
        for (var i = pw.Length; i != 0; i >>= 1)
        {
            context.Add((i & 1) != 0 ? (byte)0 : pw.Length > 0 ? pw[0] : (byte)0);
        }
        var final = MD5.HashData(context.ToArray());
        for (var round = 0; round < 1000; round++)
        {
            var step = new List<byte>();
            step.AddRange((round & 1) != 0 ? pw : final);
            if (round % 3 != 0)
            {
                step.AddRange(salt);
            }
            if (round % 7 != 0)
            {
                step.AddRange(pw);
            }
            step.AddRange((round & 1) != 0 ? final : pw);
            final = MD5.HashData(step.ToArray());
        }
        var text = new StringBuilder(magic).Append(Encoding.UTF8.GetString(salt)).Append('$');
        foreach (var (a, b, c) in new[] { (0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5) })
        {
            To64(text, (final[a] << 16) | (final[b] << 8) | final[c], 4);
        }
        To64(text, final[11], 2);
        return text.ToString();
    }

    private static void To64(StringBuilder text, int value, int count)
    {
        for (var i = 0; i < count; i++, value >>= 6)
        {
            text.Append(Itoa64[value & 0x3f]);
        }
    }

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);

    private static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Shared.Crypto;

/// <summary>Key fingerprints as operators compare them (<c>orch key -f</c>, <c>master_finger</c>): SHA-256, colon-separated hex.</summary>
public static class KeyFingerprint
{
    /// <summary>Fingerprint of a PEM public key (hash of the normalized PEM text, like Salt's <c>pem_finger</c>).</summary>
    public static string Of(string publicPem)
    {
        var normalized = publicPem.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(normalized));
        return string.Join(':', hash.Select(b => b.ToString("x2")));
    }

    /// <summary>Compares two fingerprints ignoring case and separators.</summary>
    public static bool Matches(string a, string b) =>
        string.Equals(Strip(a), Strip(b), StringComparison.OrdinalIgnoreCase);

    private static string Strip(string fingerprint) => fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
}

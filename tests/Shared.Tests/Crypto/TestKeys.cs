using System.Security.Cryptography;

namespace Orchestrator.Shared.Tests.Crypto;

/// <summary>RSA keys generated once per test run: key generation is the slow part of crypto tests.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> LazyMaster = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyOther = new(() => RSA.Create(2048));

    public static RSA Master => LazyMaster.Value;

    public static RSA Other => LazyOther.Value;

    /// <summary>A public key PEM with the master key's modulus and the given exponent (RSA public import needs nothing else).</summary>
    public static string PublicPemWithExponent(byte[] exponent)
    {
        var parameters = Master.ExportParameters(false);
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = parameters.Modulus, Exponent = exponent });
        return rsa.ExportSubjectPublicKeyInfoPem();
    }
}

using System.Security.Cryptography;
using Orchestrator.Shared.Crypto;
using Orchestrator.Testing;

namespace Orchestrator.Shared.Tests.Crypto;

public class RsaKeyPairTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();

    private string PrivatePath => _dir.Combine("pki", "master.pem");

    private string PublicPath => _dir.Combine("pki", "master.pub");

    public void Dispose() => _dir.Dispose();

    private void WritePrivateKey(RSA rsa, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PrivatePath)!);
        File.WriteAllText(PrivatePath, rsa.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(PrivatePath, mode);
    }

    [Fact]
    public void LoadOrCreate_NoFile_CreatesPrivateKeyWithMode0600()
    {
        using var pair = RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PrivatePath));
        Assert.Equal(2048, pair.Rsa.KeySize);
        Assert.Equal(pair.PublicPem, File.ReadAllText(PublicPath));
        Assert.Equal(KeyFingerprint.Of(pair.PublicPem), pair.Fingerprint);
    }

    [Fact]
    public void LoadOrCreate_ExistingFile_LoadsSameKey()
    {
        string first;
        using (var created = RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath))
        {
            first = created.Fingerprint;
        }

        using var loaded = RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath);

        Assert.Equal(first, loaded.Fingerprint);
    }

    [Fact]
    public void LoadOrCreate_MissingPublicFile_RewritesIt()
    {
        WritePrivateKey(TestKeys.Master, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var pair = RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath);

        Assert.Equal(TestKeys.Master.ExportSubjectPublicKeyInfoPem(), File.ReadAllText(PublicPath));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void LoadOrCreate_PrivateKeyAccessibleByOthers_Refuses(UnixFileMode extra)
    {
        WritePrivateKey(TestKeys.Master, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath));
        Assert.Contains("0600", error.Message);
    }

    [Fact]
    public void LoadOrCreate_Existing1024BitKey_RefusesWithoutWritingPublicKey()
    {
        using var weak = RSA.Create(1024);
        WritePrivateKey(weak, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath));
        Assert.Contains("1024", error.Message);
        Assert.False(File.Exists(PublicPath));
    }

    [Fact]
    public void LoadOrCreate_RequestedBitsBelowMinimum_CreatesMinimum()
    {
        using var pair = RsaKeyPair.LoadOrCreate(PrivatePath, PublicPath, bits: 1024);

        Assert.Equal(RsaKeyPair.MinimumBits, pair.Rsa.KeySize);
    }

    [Fact]
    public void ImportPublic_2048BitKey_Imports()
    {
        using var rsa = RsaKeyPair.ImportPublic(TestKeys.Master.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(TestKeys.Master.ExportParameters(false).Modulus, rsa.ExportParameters(false).Modulus);
    }

    [Fact]
    public void ImportPublic_1024BitKey_Refuses()
    {
        using var weak = RSA.Create(1024);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(weak.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("1024 bits", error.Message);
    }

    [Fact]
    public void ImportPublic_ExponentThree_Refuses()
    {
        var pem = TestKeys.PublicPemWithExponent([3]);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(pem));
        Assert.Contains("65537", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    public void ImportPublic_Garbage_ThrowsCryptographicException(string pem)
    {
        Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(pem));
    }

    [Fact]
    public void ImportPublic_Pkcs1Pem_Imports()
    {
        // Older Salt wrote minion keys as "RSA PUBLIC KEY" (PKCS#1); they are read the same.
        using var rsa = RsaKeyPair.ImportPublic(TestKeys.Master.ExportRSAPublicKeyPem());

        Assert.Equal(TestKeys.Master.ExportParameters(false).Modulus, rsa.ExportParameters(false).Modulus);
    }

    [Fact]
    public void ImportPublic_Pkcs1With1024Bits_Refuses()
    {
        using var weak = RSA.Create(1024);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(weak.ExportRSAPublicKeyPem()));
        Assert.Contains("1024 bits", error.Message);
    }

    [Fact]
    public void ImportPublic_EcKey_RefusesAsNotRsa()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(ec.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("not an RSA key", error.Message);
    }

    [Fact]
    public void ImportPublic_PrivateKeyPem_Refuses()
    {
        var error = Assert.ThrowsAny<CryptographicException>(() => RsaKeyPair.ImportPublic(TestKeys.Master.ExportPkcs8PrivateKeyPem()));
        Assert.Contains("PRIVATE KEY", error.Message);
    }
}

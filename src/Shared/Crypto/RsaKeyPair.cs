using System.Security.Cryptography;

namespace Orchestrator.Shared.Crypto;

/// <summary>A long-lived RSA identity key (master or minion) stored as PEM files, private key mode 0600.</summary>
public sealed class RsaKeyPair : IDisposable
{
    /// <summary>Minimum accepted modulus size.</summary>
    public const int MinimumBits = 2048;

    private RsaKeyPair(RSA rsa, string publicPem)
    {
        Rsa = rsa;
        PublicPem = publicPem;
        Fingerprint = KeyFingerprint.Of(publicPem);
    }

    /// <summary>The key (with its private part).</summary>
    public RSA Rsa { get; }

    /// <summary>The public key, PEM (SubjectPublicKeyInfo).</summary>
    public string PublicPem { get; }

    /// <summary>SHA-256 fingerprint of the public key.</summary>
    public string Fingerprint { get; }

    /// <summary>Loads the key pair from <paramref name="privatePath"/>, creating it (and the .pub beside it) on first use.</summary>
    /// <remarks>A private key file readable by group or others is refused, as ssh does: it may have leaked.</remarks>
    public static RsaKeyPair LoadOrCreate(string privatePath, string publicPath, int bits = MinimumBits)
    {
        var rsa = RSA.Create();
        try
        {
            return LoadOrCreate(rsa, privatePath, publicPath, bits);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static RsaKeyPair LoadOrCreate(RSA rsa, string privatePath, string publicPath, int bits)
    {
        if (File.Exists(privatePath))
        {
            var mode = File.GetUnixFileMode(privatePath);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new CryptographicException($"private key {privatePath} is accessible by other users (mode must be 0600)");
            }
            rsa.ImportFromPem(File.ReadAllText(privatePath));
            // Refuse a weak key before publishing it as this node's .pub.
            ValidatePublicKey(rsa);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(privatePath))!);
            rsa.KeySize = Math.Max(bits, MinimumBits);
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            // Create with 0600 from the start so the key is never readable by others, not even briefly.
            using (var stream = new FileStream(privatePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(pem);
            }
        }
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem();
        if (!File.Exists(publicPath) || File.ReadAllText(publicPath) != publicPem)
        {
            File.WriteAllText(publicPath, publicPem);
        }
        return new RsaKeyPair(rsa, publicPem);
    }

    /// <summary>Imports a peer's public key, refusing weak keys (modulus below 2048 bits, exponent other than 65537).</summary>
    public static RSA ImportPublic(string publicPem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicPem);
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new CryptographicException("public key is not a valid PEM RSA key", e);
        }
        ValidatePublicKey(rsa);
        return rsa;
    }

    private static void ValidatePublicKey(RSA rsa)
    {
        var parameters = rsa.ExportParameters(false);
        if (rsa.KeySize < MinimumBits)
        {
            throw new CryptographicException($"RSA key of {rsa.KeySize} bits refused (minimum {MinimumBits})");
        }
        var exponent = parameters.Exponent!;
        if (exponent is not [0x01, 0x00, 0x01])
        {
            throw new CryptographicException("RSA public exponent must be 65537");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Rsa.Dispose();
}

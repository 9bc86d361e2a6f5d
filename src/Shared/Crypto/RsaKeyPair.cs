using System.Formats.Asn1;
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
    /// <remarks>
    /// The PEM (SubjectPublicKeyInfo, or PKCS#1 <c>RSA PUBLIC KEY</c> as older Salt wrote) is read and checked here before
    /// OpenSSL sees it: a refused key costs nothing, and an accepted one needs no export back out of OpenSSL to be checked
    /// (with OpenSSL 3 that export cost more than the import: about 140 µs of the 250 a minion's hello spent on its key).
    /// </remarks>
    public static RSA ImportPublic(string publicPem)
    {
        if (!PemEncoding.TryFind(publicPem, out var fields))
        {
            throw new CryptographicException("public key is not a valid PEM RSA key");
        }
        var label = publicPem.AsSpan()[fields.Label];
        var spki = label.SequenceEqual("PUBLIC KEY");
        if (!spki && !label.SequenceEqual("RSA PUBLIC KEY"))
        {
            throw new CryptographicException($"public key is not a valid PEM RSA key (a PEM labelled {label.ToString()})");
        }
        byte[] der;
        try
        {
            der = Convert.FromBase64String(publicPem[fields.Base64Data]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("public key is not a valid PEM RSA key", e);
        }
        var (bits, exponent) = ReadPublicNumbers(der, spki);
        CheckStrength(bits, exponent);
        var rsa = RSA.Create();
        try
        {
            if (spki)
            {
                rsa.ImportSubjectPublicKeyInfo(der, out _);
            }
            else
            {
                rsa.ImportRSAPublicKey(der, out _);
            }
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Modulus size in bits and exponent of an RSA public key, from its DER (SubjectPublicKeyInfo or PKCS#1).</summary>
    private static (int Bits, byte[] Exponent) ReadPublicNumbers(byte[] der, bool subjectPublicKeyInfo)
    {
        try
        {
            var rsaPublicKey = der;
            if (subjectPublicKeyInfo)
            {
                var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
                var algorithm = info.ReadSequence();
                if (algorithm.ReadObjectIdentifier() != RsaEncryptionOid)
                {
                    throw new CryptographicException("public key is not an RSA key");
                }
                rsaPublicKey = info.ReadBitString(out _);
            }
            var numbers = new AsnReader(rsaPublicKey, AsnEncodingRules.DER).ReadSequence();
            var modulus = numbers.ReadIntegerBytes().Span;
            var exponent = numbers.ReadIntegerBytes().ToArray();
            // DER integers are minimal two's complement: a positive modulus may carry one leading zero byte.
            var significant = modulus.TrimStart((byte)0);
            var bits = significant.IsEmpty ? 0 : (significant.Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)significant[0]) + 24;
            return (bits, exponent);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("public key is not a valid PEM RSA key", e);
        }
    }

    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private static void CheckStrength(int bits, byte[] exponent)
    {
        if (bits < MinimumBits)
        {
            throw new CryptographicException($"RSA key of {bits} bits refused (minimum {MinimumBits})");
        }
        if (exponent is not [0x01, 0x00, 0x01])
        {
            throw new CryptographicException("RSA public exponent must be 65537");
        }
    }

    private static void ValidatePublicKey(RSA rsa) => CheckStrength(rsa.KeySize, rsa.ExportParameters(false).Exponent!);

    /// <inheritdoc />
    public void Dispose() => Rsa.Dispose();
}

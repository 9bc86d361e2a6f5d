using Orchestrator.Shared.Crypto;

namespace Orchestrator.Shared.Tests.Crypto;

public class KeyFingerprintTests
{
    [Fact]
    public void Of_PublicKey_Is32ColonSeparatedHexBytes()
    {
        var fingerprint = KeyFingerprint.Of(TestKeys.Master.ExportSubjectPublicKeyInfoPem());

        Assert.Matches("^([0-9a-f]{2}:){31}[0-9a-f]{2}$", fingerprint);
    }

    [Fact]
    public void Of_CrlfAndTrailingWhitespace_SameAsNormalized()
    {
        var pem = TestKeys.Master.ExportSubjectPublicKeyInfoPem();

        Assert.Equal(KeyFingerprint.Of(pem), KeyFingerprint.Of(pem.Replace("\n", "\r\n") + "\r\n\r\n"));
    }

    [Fact]
    public void Of_DifferentKeys_Differ()
    {
        Assert.NotEqual(
            KeyFingerprint.Of(TestKeys.Master.ExportSubjectPublicKeyInfoPem()),
            KeyFingerprint.Of(TestKeys.Other.ExportSubjectPublicKeyInfoPem()));
    }

    [Theory]
    [InlineData("ab:cd:ef", "ABCDEF", true)]
    [InlineData("ab:cd:ef", " ab:cd:ef ", true)]
    [InlineData("ab:cd:ef", "ab:cd:ee", false)]
    [InlineData("ab:cd:ef", "ab:cd", false)]
    public void Matches_IgnoresCaseAndSeparators(string a, string b, bool expected)
    {
        Assert.Equal(expected, KeyFingerprint.Matches(a, b));
    }
}

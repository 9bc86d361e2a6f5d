using Orchestrator.Minion.Modules.Grains;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>The OS grains from os-release variants, checked against what Salt 3006 reports on each distribution.</summary>
public sealed class OsGrainsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<Dictionary<string, object?>> CollectAsync() => await new OsGrains().CollectAsync(_host.Context, CancellationToken.None);

    [Fact]
    public async Task Debian12_KeepsFullNameFingerByOsAndHasNoLsbWithoutLsbRelease()
    {
        _host.Write("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n" +
            "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n");
        var grains = await CollectAsync();
        Assert.Equal("Debian", grains["os"]);
        Assert.Equal("Debian", grains["os_family"]);
        Assert.Equal("Debian GNU/Linux", grains["osfullname"]);
        Assert.Equal("12", grains["osrelease"]);
        Assert.Equal("bookworm", grains["oscodename"]);
        Assert.Equal(new List<object?> { 12L }, grains["osrelease_info"]);
        Assert.Equal(12L, grains["osmajorrelease"]);
        Assert.Equal("Debian-12", grains["osfinger"]);
        Assert.DoesNotContain(grains.Keys, k => k.StartsWith("lsb_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DebianSid_WithoutVersionId_HasNullReleaseAndNoFinger()
    {
        _host.Write("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n");
        var grains = await CollectAsync();
        Assert.True(grains.ContainsKey("osrelease"));
        Assert.Null(grains["osrelease"]);
        Assert.False(grains.ContainsKey("osfinger"));
        Assert.Equal("trixie", grains["oscodename"]);
    }

    [Fact]
    public async Task Ubuntu_ReadsLsbReleaseAndFingersWholeRelease()
    {
        _host.Write("/etc/os-release", "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\n" +
            "VERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n");
        _host.Write("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"\n");
        var grains = await CollectAsync();
        Assert.Equal("Ubuntu", grains["os"]);
        Assert.Equal("Debian", grains["os_family"]);
        Assert.Equal("Ubuntu", grains["osfullname"]);
        Assert.Equal("Ubuntu-22.04", grains["osfinger"]);
        Assert.Equal(new List<object?> { 22L, 4L }, grains["osrelease_info"]);
        Assert.Equal("Ubuntu", grains["lsb_distrib_id"]);
        Assert.Equal("22.04", grains["lsb_distrib_release"]);
        Assert.Equal("jammy", grains["lsb_distrib_codename"]);
        Assert.Equal("Ubuntu 22.04.3 LTS", grains["lsb_distrib_description"]);
    }

    [Fact]
    public async Task LsbRelease_ValueStopsAtCharactersSaltsRegexRejects()
    {
        _host.Write("/etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        _host.Write("/etc/lsb-release", "DISTRIB_DESCRIPTION=\"Debian GNU/Linux 12 (bookworm)\"\n");
        Assert.Equal("Debian GNU", (await CollectAsync())["lsb_distrib_description"]);
    }

    [Fact]
    public async Task CentOSStream9_LegacyPath_NamesAndCodenameFromPrettyName()
    {
        _host.Write("/etc/os-release", "NAME=\"CentOS Stream\"\nVERSION=\"9\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"9\"\n" +
            "PLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"CentOS Stream 9\"\nCPE_NAME=\"cpe:/o:centos:centos:9\"\n");
        _host.Write("/etc/centos-release", "CentOS Stream release 9\n");
        var grains = await CollectAsync();
        Assert.Equal("CentOS Stream", grains["os"]);
        Assert.Equal("RedHat", grains["os_family"]);
        Assert.Equal("CentOS Stream", grains["osfullname"]);
        Assert.Equal("9", grains["osrelease"]);
        Assert.Equal("CentOS Stream 9", grains["oscodename"]);
        Assert.Equal("CentOS Stream-9", grains["osfinger"]);
        Assert.Equal("CentOS Stream", grains["lsb_distrib_id"]);
        Assert.Equal("CentOS Stream 9", grains["lsb_distrib_codename"]);
    }

    [Fact]
    public async Task CentOS7_TakesMinorReleaseFromCentosRelease()
    {
        _host.Write("/etc/os-release", "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n" +
            "PRETTY_NAME=\"CentOS Linux 7 (Core)\"\nCPE_NAME=\"cpe:/o:centos:centos:7\"\n");
        _host.Write("/etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n");
        var grains = await CollectAsync();
        Assert.Equal("CentOS", grains["os"]);
        Assert.Equal("RedHat", grains["os_family"]);
        Assert.Equal("7.9.2009", grains["osrelease"]);
        Assert.Equal(new List<object?> { 7L, 9L, 2009L }, grains["osrelease_info"]);
        Assert.Equal("CentOS Linux-7", grains["osfinger"]);
        Assert.False(grains.ContainsKey("lsb_distrib_release"));
    }

    [Fact]
    public async Task Rhel9_CodenameFromVersionWhenPrettyNameSaysRedHat()
    {
        _host.Write("/etc/os-release", "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"9.2 (Plow)\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.2\"\n" +
            "PRETTY_NAME=\"Red Hat Enterprise Linux 9.2 (Plow)\"\nCPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\n");
        _host.Write("/etc/redhat-release", "Red Hat Enterprise Linux release 9.2 (Plow)\n");
        var grains = await CollectAsync();
        Assert.Equal("RedHat", grains["os"]);
        Assert.Equal("RedHat", grains["os_family"]);
        Assert.Equal("Red Hat Enterprise Linux", grains["osfullname"]);
        Assert.Equal("9.2", grains["osrelease"]);
        Assert.Equal("Plow", grains["oscodename"]);
        Assert.Equal("Red Hat Enterprise Linux-9", grains["osfinger"]);
        Assert.Equal(9L, grains["osmajorrelease"]);
    }

    [Fact]
    public async Task Rocky9_OsReleaseOnly_CodenameFromVersionQuirk()
    {
        _host.Write("/etc/os-release", "NAME=\"Rocky Linux\"\nVERSION=\"9.2 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n" +
            "VERSION_ID=\"9.2\"\nPRETTY_NAME=\"Rocky Linux 9.2 (Blue Onyx)\"\n");
        var grains = await CollectAsync();
        Assert.Equal("Rocky", grains["os"]);
        Assert.Equal("RedHat", grains["os_family"]);
        Assert.Equal("Blue Onyx", grains["oscodename"]);
        Assert.Equal("Rocky Linux-9", grains["osfinger"]);
        Assert.DoesNotContain(grains.Keys, k => k.StartsWith("lsb_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenSuseLeap_CpeMakesItSuseLeap()
    {
        _host.Write("/etc/os-release", "NAME=\"openSUSE Leap\"\nVERSION=\"15.5\"\nID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\nVERSION_ID=\"15.5\"\n" +
            "PRETTY_NAME=\"openSUSE Leap 15.5\"\nCPE_NAME=\"cpe:/o:opensuse:leap:15.5\"\n");
        var grains = await CollectAsync();
        Assert.Equal("SUSE", grains["os"]);
        Assert.Equal("Suse", grains["os_family"]);
        Assert.Equal("Leap", grains["osfullname"]);
        Assert.Equal("15.5", grains["osrelease"]);
        Assert.Equal("Leap-15", grains["osfinger"]);
    }

    [Fact]
    public async Task UnknownDerivative_LegacyPath_FamilyIsItsOwnNameAsInSalt()
    {
        // Salt's legacy path recomputes os_family from its table, which does not know the name: ID_LIKE is not used.
        _host.Write("/etc/os-release", "NAME=\"Mystery\"\nID=mystery\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.2\"\n");
        var grains = await CollectAsync();
        Assert.Equal("Mystery", grains["os"]);
        Assert.Equal("Mystery", grains["os_family"]);
        Assert.Equal("Mystery-9", grains["osfinger"]);
    }

    [Fact]
    public async Task AllowListedDerivative_FamilyFromIdLike()
    {
        _host.Write("/etc/os-release", "NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"21.2\"\nVERSION_CODENAME=victoria\n");
        var grains = await CollectAsync();
        Assert.Equal("Mint", grains["os"]);
        Assert.Equal("Debian", grains["os_family"]);
        Assert.Equal("Linux Mint-21", grains["osfinger"]);
    }

    [Fact]
    public void ParseOsRelease_UnescapesAndDefaults()
    {
        var values = OsRelease.ParseOsRelease("ID=x\nPRETTY_NAME='A \\\"B\\\"'\n# comment\nBAD LINE\n");
        Assert.Equal("x", values["ID"]);
        Assert.Equal("A \"B\"", values["PRETTY_NAME"]);
        Assert.Equal("Linux", values["NAME"]);
    }
}

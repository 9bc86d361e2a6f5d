using System.Net;
using Orchestrator.Minion.Modules.Grains;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>Grains read from host files or the configuration: dns, kernelparams, locale_info, disks, efi, dmi, ps, ids, versions, fqdns.</summary>
public sealed class FileGrainsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Dns_ParsesResolvConfAsSalt()
    {
        _host.Write("/etc/resolv.conf", "# generated\nnameserver 10.255.255.53\nnameserver fd00::53 # v6\nnameserver 10.255.255.53\n" +
            "search example.com corp.example.com\noptions ndots:2\nsortlist 130.155.160.0/255.255.240.0 130.155.0.0\nnameserver bogus\n");
        var dns = (Dictionary<string, object?>)(await new DnsGrains().CollectAsync(_host.Context, CancellationToken.None))["dns"]!;
        Assert.Equal(new List<object?> { "10.255.255.53", "fd00::53" }, dns["nameservers"]);
        Assert.Equal(new List<object?> { "10.255.255.53" }, dns["ip4_nameservers"]);
        Assert.Equal(new List<object?> { "fd00::53" }, dns["ip6_nameservers"]);
        Assert.Equal(new List<object?> { "example.com", "corp.example.com" }, dns["search"]);
        Assert.Equal(new List<object?> { "ndots:2" }, dns["options"]);
        Assert.Equal(new List<object?> { "130.155.160.0/255.255.240.0", "130.155.0.0/255.255.0.0" }, dns["sortlist"]);
        Assert.Equal(string.Empty, dns["domain"]);
    }

    [Fact]
    public async Task Dns_SystemdResolvedFileWins_NoFileNoGrain()
    {
        Assert.Empty(await new DnsGrains().CollectAsync(_host.Context, CancellationToken.None));
        _host.Write("/etc/resolv.conf", "nameserver 127.0.0.53\n").Write("/run/systemd/resolve/resolv.conf", "nameserver 192.0.2.53\n");
        var dns = (Dictionary<string, object?>)(await new DnsGrains().CollectAsync(_host.Context, CancellationToken.None))["dns"]!;
        Assert.Equal(new List<object?> { "192.0.2.53" }, dns["nameservers"]);
    }

    [Fact]
    public async Task KernelParams_PairsWithNullForFlagsAndOddEquals()
    {
        _host.Write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=UUID=ab quiet a=b=c title=\"two words\" --\n");
        var grains = await new KernelParamsGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(new List<object?>
        {
            new List<object?> { "BOOT_IMAGE", "/vmlinuz" }, new List<object?> { "root", null }, new List<object?> { "quiet", null },
            new List<object?> { "a", null }, new List<object?> { "title", "two words" }, new List<object?> { "--", null },
        }, grains["kernelparams"]);
    }

    [Theory]
    [InlineData("C.UTF-8", null, "en_US", "UTF-8")]
    [InlineData("de_DE.UTF-8", null, "de_DE", "UTF-8")]
    [InlineData("en_GB.utf8", null, "en_GB", "UTF-8")]
    [InlineData(null, null, "en_US", "UTF-8")]
    [InlineData("fr_FR", "C", null, null)]
    public async Task Locale_AsPythonGetDefaultLocale(string? lang, string? lcAll, string? language, string? encoding)
    {
        _host.Write("/etc/localtime", "TZif2" + new string('\0', 40) + "\nCET-1CEST,M3.5.0,M10.5.0/3\n");
        var env = new Dictionary<string, string?> { ["LANG"] = lang, ["LC_ALL"] = lcAll };
        var info = (Dictionary<string, object?>)(await new LocaleGrains(name => env.GetValueOrDefault(name))
            .CollectAsync(_host.Context, CancellationToken.None))["locale_info"]!;
        Assert.Equal(language, info["defaultlanguage"]);
        Assert.Equal(encoding, info["defaultencoding"]);
        Assert.Equal("utf-8", info["detectedencoding"]);
        Assert.Contains(info["timezone"], new object?[] { "CET", "CEST" });
    }

    [Fact]
    public void Locale_PosixNames() => Assert.Equal(("+03", (string?)null), LocaleGrains.PosixNames("<+03>-3"));

    [Fact]
    public async Task Disks_SkipsVirtualDevicesAndSortsByRotational()
    {
        _host.Write("/sys/devices/pci0/vda/queue/rotational", "1\n").Write("/sys/devices/pci0/nvme0n1/queue/rotational", "0\n")
            .Write("/sys/devices/virtual/block/loop0/queue/rotational", "0\n")
            .Link("/sys/block/vda", "../devices/pci0/vda").Link("/sys/block/nvme0n1", "../devices/pci0/nvme0n1")
            .Link("/sys/block/loop0", "../devices/virtual/block/loop0");
        var grains = await new DisksGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(new List<object?> { "vda" }, grains["disks"]);
        Assert.Equal(new List<object?> { "nvme0n1" }, grains["ssds"]);
    }

    [Fact]
    public async Task Uefi_NoFirmwareDirIsFalse_EfivarsIsTrue()
    {
        var none = await new UefiGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(false, none["efi"]);
        Assert.Equal(false, none["efi-secure-boot"]);
        _host.Write("/sys/firmware/efi/vars/SecureBoot-8be4df61/data", "\x01");
        var efi = await new UefiGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(true, efi["efi"]);
        Assert.Equal(true, efi["efi-secure-boot"]);
    }

    [Fact]
    public async Task Hardware_ReadsDmiFilesAndLowersUuid()
    {
        Assert.Empty(await new HardwareGrains().CollectAsync(_host.Context, CancellationToken.None));
        _host.Write("/sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n").Write("/sys/class/dmi/id/product_uuid", "ABCD-EF\n");
        var grains = await new HardwareGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal("Standard PC (Q35 + ICH9, 2009)", grains["productname"]);
        Assert.Equal("abcd-ef", grains["uuid"]);
        Assert.False(grains.ContainsKey("biosversion"));
    }

    [Fact]
    public async Task Ps_LinuxCommand() =>
        Assert.Equal("ps -efHww", (await new PsGrains().CollectAsync(_host.Context, CancellationToken.None))["ps"]);

    [Fact]
    public async Task Id_ServerIdIsSaltsHashOfTheId()
    {
        var grains = await new IdGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal("acc-local", grains["id"]);
        // What Salt 3006.1 reported for this id.
        Assert.Equal(2144238513L, grains["server_id"]);
    }

    [Fact]
    public async Task Version_SaltReleaseFollowedAndProductVersion()
    {
        var grains = await new VersionGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal("3006.1", grains["saltversion"]);
        Assert.Equal(new List<object?> { 3006L, 1L }, grains["saltversioninfo"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string)grains["orchversion"]!);
    }

    [Fact]
    public async Task Master_ConfiguredValueOrSalt()
    {
        Assert.Equal("salt", (await new MasterGrains().CollectAsync(_host.Context, CancellationToken.None))["master"]);
        _host.Opts["master"] = "10.0.0.5";
        Assert.Equal("10.0.0.5", (await new MasterGrains().CollectAsync(_host.Context, CancellationToken.None))["master"]);
    }

    [Fact]
    public async Task Fqdns_ReverseResolvesNonLoopback_SortedAndDeduplicated()
    {
        var asked = new List<string>();
        var provider = new FqdnsGrains(
            () => [IPAddress.Loopback, IPAddress.Parse("192.0.2.2"), IPAddress.Parse("192.0.2.3"), IPAddress.Parse("fd00::2")],
            (address, _) =>
            {
                lock (asked)
                {
                    asked.Add(address.ToString());
                }
                return address.ToString() == "fd00::2" ? throw new System.Net.Sockets.SocketException() : Task.FromResult("web1.example.com");
            });
        var grains = await provider.CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(new List<object?> { "web1.example.com" }, grains["fqdns"]);
        Assert.DoesNotContain("127.0.0.1", asked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData("False")]
    public async Task Fqdns_DisabledByOption_IsEmptyWithoutLookups(object option)
    {
        var looked = false;
        _host.Opts["enable_fqdns_grains"] = option;
        var provider = new FqdnsGrains(() => [IPAddress.Parse("192.0.2.2")], (_, _) => { looked = true; return Task.FromResult("x"); });
        Assert.Equal(new List<object?>(), (await provider.CollectAsync(_host.Context, CancellationToken.None))["fqdns"]);
        Assert.False(looked);
    }
}

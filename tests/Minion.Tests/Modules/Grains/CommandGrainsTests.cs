using Orchestrator.Minion.Modules.Grains;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>Grains that come from host tools: systemd, the default gateways, GPUs, ZFS, osarch.</summary>
public sealed class CommandGrainsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    private const string SystemctlVersion =
        "systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT +SELINUX -GNUTLS +OPENSSL default-hierarchy=unified\n";

    [Fact]
    public async Task Systemd_InstalledWithLocalectl_GivesVersionAndFeatures()
    {
        _host.Executable("/usr/bin/systemctl").Executable("/usr/bin/localectl");
        _host.Runner.On("/usr/bin/systemctl --version", stdout: SystemctlVersion);
        var grains = await new SystemdGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(new Dictionary<string, object?> { ["version"] = "252", ["features"] = "+PAM +AUDIT +SELINUX -GNUTLS +OPENSSL default-hierarchy=unified" },
            grains["systemd"]);
    }

    [Fact]
    public async Task Systemd_WithoutLocalectl_IsAbsent()
    {
        _host.Executable("/usr/bin/systemctl");
        Assert.Empty(await new SystemdGrains().CollectAsync(_host.Context, CancellationToken.None));
        Assert.Empty(_host.Runner.Requests);
    }

    [Fact]
    public async Task Systemd_UnreadableVersionOutput_FailsTheProviderInsteadOfGuessing()
    {
        _host.Executable("/usr/bin/systemctl").Executable("/usr/bin/localectl");
        _host.Runner.On("/usr/bin/systemctl --version", exitCode: 1, stderr: "boom");
        await Assert.ThrowsAsync<InvalidOperationException>(() => new SystemdGrains().CollectAsync(_host.Context, CancellationToken.None));
    }

    [Fact]
    public async Task Gateway_ViaAddressesAndFalseWithoutDefaultRoute()
    {
        _host.Executable("/usr/sbin/ip");
        _host.Runner.On("/usr/sbin/ip -4 route show", stdout: "default via 192.0.2.1 dev eth0 \n192.0.2.0/24 dev eth0 proto kernel\n")
            .On("/usr/sbin/ip -6 route show", stdout: "fe80::/64 dev eth0 proto kernel metric 256 pref medium\n");
        var grains = await new GatewayGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(true, grains["ip_gw"]);
        Assert.Equal("192.0.2.1", grains["ip4_gw"]);
        Assert.Equal(false, grains["ip6_gw"]);
    }

    [Fact]
    public async Task Gateway_NoIpTool_NoGrains() => Assert.Empty(await new GatewayGrains().CollectAsync(_host.Context, CancellationToken.None));

    [Fact]
    public async Task Gpu_NoLspci_IsZeroAndEmpty()
    {
        var grains = await new GpuGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(0L, grains["num_gpus"]);
        Assert.Equal(new List<object?>(), grains["gpus"]);
    }

    [Fact]
    public async Task Gpu_LspciRecords_KeepsDisplayClassesWithKnownVendor()
    {
        _host.Executable("/usr/bin/lspci");
        _host.Runner.On("/usr/bin/lspci -vmm", stdout:
            "Slot:\t00:02.0\nClass:\tVGA compatible controller\nVendor:\tIntel Corporation\nDevice:\tUHD Graphics 620\n\n" +
            "Slot:\t00:1f.3\nClass:\tAudio device\nVendor:\tIntel Corporation\nDevice:\tSunrise Point-LP HD Audio\n\n" +
            "Slot:\t01:00.0\nClass:\t3D controller\nVendor:\tNVIDIA Corporation\nDevice:\tGP108M\n");
        var grains = await new GpuGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(2L, grains["num_gpus"]);
        var gpus = (List<object?>)grains["gpus"]!;
        Assert.Equal(new Dictionary<string, object?> { ["vendor"] = "intel", ["model"] = "UHD Graphics 620" }, gpus[0]);
        Assert.Equal(new Dictionary<string, object?> { ["vendor"] = "nvidia", ["model"] = "GP108M" }, gpus[1]);
    }

    [Fact]
    public async Task Gpu_DisabledByOption_DoesNotRunLspci()
    {
        _host.Executable("/usr/bin/lspci");
        _host.Opts["enable_gpu_grains"] = false;
        Assert.Equal(0L, (await new GpuGrains().CollectAsync(_host.Context, CancellationToken.None))["num_gpus"]);
        Assert.Empty(_host.Runner.Requests);
    }

    [Fact]
    public async Task Zfs_WithoutZpool_IsUnsupported_AndFeatureFlagsAskMan()
    {
        _host.Executable("/usr/bin/man");
        _host.Runner.On("/usr/bin/man zpool-features", exitCode: 16);
        var grains = await new ZfsGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(false, grains["zfs_support"]);
        Assert.Equal(false, grains["zfs_feature_flags"]);
        Assert.False(grains.ContainsKey("zpool"));
    }

    [Fact]
    public async Task Zfs_ModuleLoadedAndZpool_ListsPoolSizesInBytes()
    {
        _host.Executable("/usr/sbin/zpool").Dir("/sys/module/zfs");
        _host.Runner.On("/usr/sbin/zpool list", stdout: "tank\t1.5G\n");
        var grains = await new ZfsGrains().CollectAsync(_host.Context, CancellationToken.None);
        Assert.Equal(true, grains["zfs_support"]);
        Assert.Equal(new Dictionary<string, object?> { ["tank"] = 1610612736L }, grains["zpool"]);
    }

    [Fact]
    public async Task Osarch_FromDpkgOnDebian_CpuarchElsewhere()
    {
        _host.Write("/proc/sys/kernel/arch", "x86_64\n");
        Assert.Equal("x86_64", (await new CpuGrains().CollectAsync(_host.Context, CancellationToken.None))["osarch"]);
        _host.Dir("/var/lib/dpkg").Executable("/usr/bin/dpkg");
        _host.Runner.On("/usr/bin/dpkg --print-architecture", stdout: "amd64\n");
        Assert.Equal("amd64", (await new CpuGrains().CollectAsync(_host.Context, CancellationToken.None))["osarch"]);
    }

    [Fact]
    public async Task Transactional_FollowsTransactionalUpdate()
    {
        Assert.Equal(false, (await new TransactionalGrains().CollectAsync(_host.Context, CancellationToken.None))["transactional"]);
        _host.Executable("/usr/sbin/transactional-update");
        Assert.Equal(true, (await new TransactionalGrains().CollectAsync(_host.Context, CancellationToken.None))["transactional"]);
    }
}

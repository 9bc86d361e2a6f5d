using Orchestrator.Minion.Modules.Grains;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>virtual and virtual_subtype from the tools and container markers Salt 3006.1 reads.</summary>
public sealed class VirtualGrainsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<Dictionary<string, object?>> CollectAsync() => await new VirtualGrains().CollectAsync(_host.Context, CancellationToken.None);

    [Fact]
    public async Task NothingDetected_IsPhysicalWithoutSubtype()
    {
        _host.Write("/proc/1/cgroup", "0::/\n");
        var grains = await CollectAsync();
        Assert.Equal("physical", grains["virtual"]);
        Assert.False(grains.ContainsKey("virtual_subtype"));
    }

    [Fact]
    public async Task SystemdDetectVirtSaysDocker_StaysPhysicalAsIn3006_1()
    {
        _host.Executable("/usr/bin/systemd-detect-virt");
        _host.Runner.On("/usr/bin/systemd-detect-virt", stdout: "docker\n");
        Assert.Equal("physical", (await CollectAsync())["virtual"]);
        Assert.Contains("/usr/bin/systemd-detect-virt", _host.Runner.CommandLines);
    }

    [Fact]
    public async Task SystemdDetectVirtKvm_IsKvm()
    {
        _host.Executable("/usr/bin/systemd-detect-virt");
        _host.Runner.On("/usr/bin/systemd-detect-virt", stdout: "kvm\n");
        Assert.Equal("kvm", (await CollectAsync())["virtual"]);
    }

    [Fact]
    public async Task SystemdDetectVirtOnBareMetal_ExitsNonZeroAndIsIgnored()
    {
        _host.Executable("/usr/bin/systemd-detect-virt");
        _host.Runner.On("/usr/bin/systemd-detect-virt", exitCode: 1, stdout: "none\n");
        Assert.Equal("physical", (await CollectAsync())["virtual"]);
    }

    [Fact]
    public async Task VirtWhat_WhenInstalledIsTheOnlyTool()
    {
        _host.Executable("/usr/bin/virt-what").Executable("/usr/bin/systemd-detect-virt");
        _host.Runner.On("/usr/bin/virt-what", stdout: "hyperv\n");
        Assert.Equal("HyperV", (await CollectAsync())["virtual"]);
        Assert.DoesNotContain("/usr/bin/systemd-detect-virt", _host.Runner.CommandLines);
    }

    [Fact]
    public async Task DockerCgroup_IsDockerContainer()
    {
        _host.Write("/proc/1/cgroup", "12:pids:/docker/0123abcd\n0::/docker/0123abcd\n");
        var grains = await CollectAsync();
        Assert.Equal("container", grains["virtual"]);
        Assert.Equal("Docker", grains["virtual_subtype"]);
    }

    [Fact]
    public async Task LxcEnvironment_IsLxcContainer()
    {
        _host.Write("/proc/1/cgroup", "0::/\n").Write("/proc/1/environ", "PATH=/bin\0container=lxc\0");
        var grains = await CollectAsync();
        Assert.Equal("container", grains["virtual"]);
        Assert.Equal("LXC", grains["virtual_subtype"]);
    }

    [Fact]
    public async Task KubepodsCgroup_SubtypeOnly_MakesItVirtual()
    {
        _host.Write("/proc/1/cgroup", "1:cpu:/kubepods/besteffort/pod1\n");
        var grains = await CollectAsync();
        Assert.Equal("virtual", grains["virtual"]);
        Assert.Equal("kubernetes", grains["virtual_subtype"]);
    }

    [Fact]
    public async Task QemuCpu_IsKvm_AndEc2DmidecodeMakesItNitro()
    {
        _host.Write("/proc/cpuinfo", "model name\t: QEMU Virtual CPU version 2.5+\n").Executable("/usr/sbin/dmidecode");
        _host.Runner.On("/usr/sbin/dmidecode", stdout: "Vendor: Amazon EC2\n").On("/usr/sbin/dmidecode -t system",
            stdout: "System Information\n\tManufacturer: Amazon EC2\n\tProduct Name: m5.large\n");
        var grains = await CollectAsync();
        Assert.Equal("Nitro", grains["virtual"]);
        Assert.Equal("Amazon EC2 (m5.large)", grains["virtual_subtype"]);
    }

    [Fact]
    public async Task DmiProductName_VirtualBox()
    {
        _host.Write("/sys/devices/virtual/dmi/id/product_name", "VirtualBox\n");
        Assert.Equal("VirtualBox", (await CollectAsync())["virtual"]);
    }

    [Fact]
    public async Task OpenVzHostNode()
    {
        _host.Write("/proc/vz/version", "7.0\n");
        Assert.Equal("openvzhn", (await CollectAsync())["virtual"]);
    }
}

using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Grains;

public sealed class GrainProviderTests : IDisposable
{
    private readonly TempDir _root = Some.TempDir();

    public void Dispose() => _root.Dispose();

    private GrainContext Context => new() { MinionId = "m1", Root = _root.Path };

    private void Write(string path, string text)
    {
        var full = _root.Combine(path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public async Task Memory_ReportsMiB()
    {
        Write("/proc/meminfo", "MemTotal:        2048000 kB\nMemFree:  1 kB\nSwapTotal:       1024 kB\n");
        var grains = await new MemoryGrains().CollectAsync(Context, CancellationToken.None);
        Assert.Equal(2000L, grains["mem_total"]);
        Assert.Equal(1L, grains["swap_total"]);
    }

    [Fact]
    public async Task Cpu_CountsProcessorsAndReadsModel()
    {
        Write("/proc/cpuinfo", "processor\t: 0\nmodel name\t: Fake CPU @ 1GHz\nflags\t\t: fpu sse2\n\nprocessor\t: 1\nmodel name\t: Fake CPU @ 1GHz\n");
        Write("/proc/sys/kernel/arch", "aarch64\n");
        var grains = await new CpuGrains().CollectAsync(Context, CancellationToken.None);
        Assert.Equal(2L, grains["num_cpus"]);
        Assert.Equal("Fake CPU @ 1GHz", grains["cpu_model"]);
        Assert.Equal(new List<object?> { "fpu", "sse2" }, grains["cpu_flags"]);
        Assert.Equal("aarch64", grains["cpuarch"]);
        // No dpkg under this root: the CPU architecture, as Salt outside the Debian family.
        Assert.Equal("aarch64", grains["osarch"]);
    }

    [Fact]
    public async Task Kernel_ReadsRelease()
    {
        Write("/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
        var grains = await new KernelGrains().CollectAsync(Context, CancellationToken.None);
        Assert.Equal("6.1.0-13-amd64", grains["kernelrelease"]);
        Assert.Equal("Linux", grains["kernel"]);
    }

    [Fact]
    public async Task MachineId_PresentAndAbsent()
    {
        Assert.Empty(await new MachineIdGrains().CollectAsync(Context, CancellationToken.None));
        Write("/var/lib/dbus/machine-id", "abc123\n");
        Assert.Equal("abc123", (await new MachineIdGrains().CollectAsync(Context, CancellationToken.None))["machine_id"]);
    }

    [Fact]
    public async Task Host_SplitsFqdnIntoHostAndDomain()
    {
        var provider = new HostGrains(() => "web1", (_, _) => Task.FromResult("web1.example.com"));
        var grains = await provider.CollectAsync(Context, CancellationToken.None);
        Assert.Equal("web1", grains["host"]);
        Assert.Equal("web1", grains["nodename"]);
        Assert.Equal("web1.example.com", grains["fqdn"]);
        Assert.Equal("example.com", grains["domain"]);
    }

    [Fact]
    public async Task Host_CanonicalNameIsTheFqdn_AndItsAddressesOfEachFamily()
    {
        var provider = new HostGrains(() => "vm", (_, _) => Task.FromResult("vm"),
            (_, family, _) => Task.FromResult(family == System.Net.Sockets.AddressFamily.InterNetwork
                ? new[] { System.Net.IPAddress.Loopback, System.Net.IPAddress.Loopback }
                : Array.Empty<System.Net.IPAddress>()),
            family => family == System.Net.Sockets.AddressFamily.InterNetwork);
        var grains = await provider.CollectAsync(Context, CancellationToken.None);
        Assert.Equal("vm", grains["fqdn"]);
        Assert.Equal(new List<object?> { "127.0.0.1" }, grains["fqdn_ip4"]);
        Assert.Equal(new List<object?>(), grains["fqdn_ip6"]);
    }

    [Fact]
    public async Task Host_UnresolvableName_FallsBackToHostname()
    {
        var provider = new HostGrains(() => "lonely", (_, _) => throw new System.Net.Sockets.SocketException());
        var grains = await provider.CollectAsync(Context, CancellationToken.None);
        Assert.Equal("lonely", grains["fqdn"]);
        Assert.Equal(string.Empty, grains["domain"]);
    }

    [Fact]
    public async Task Process_ReportsOwnIdentity()
    {
        Write("/etc/group", "root:x:0:\n");
        var grains = await new ProcessGrains().CollectAsync(Context, CancellationToken.None);
        Assert.Equal((long)Environment.ProcessId, grains["pid"]);
        Assert.Equal(Environment.UserName, grains["username"]);
        Assert.IsType<long>(grains["uid"]);
        if (Environment.UserName == "root")
        {
            Assert.Equal(0L, grains["uid"]);
            Assert.Equal("root", grains["groupname"]);
        }
    }

    [Fact]
    public async Task Id_IsMinionId() => Assert.Equal("m1", (await new IdGrains().CollectAsync(Context, CancellationToken.None))["id"]);

    [Fact]
    public async Task Network_IncludesLoopbackInterface()
    {
        var grains = await new NetworkGrains().CollectAsync(Context, CancellationToken.None);
        Assert.Contains("127.0.0.1", (List<object?>)((Dictionary<string, object?>)grains["ip4_interfaces"]!)["lo"]!);
        Assert.Equal("00:00:00:00:00:00", ((Dictionary<string, object?>)grains["hwaddr_interfaces"]!)["lo"]);
    }
}

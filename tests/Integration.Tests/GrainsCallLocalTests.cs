using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a Salt user runs <c>orch call --local grains.items --out json</c> with the minion config Salt's comparison runs
/// use, and finds every grain real Salt 3006.1 reported on this kind of machine (container, Debian, systemd installed but not
/// PID 1), of the same JSON type, except the Python-only ones; values that do not depend on the machine are Salt's.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GrainsCallLocalTests : IDisposable
{
    // The keys of Salt 3006.1's grains.items on the recording machine, with the JSON kind of each value.
    private static readonly (string Key, JsonValueKind Kind)[] SaltGrains =
    [
        ("cwd", JsonValueKind.String), ("ip_gw", JsonValueKind.True), ("ip4_gw", JsonValueKind.String), ("ip6_gw", JsonValueKind.String),
        ("dns", JsonValueKind.Object), ("fqdns", JsonValueKind.Array), ("machine_id", JsonValueKind.String), ("master", JsonValueKind.String),
        ("server_id", JsonValueKind.Number), ("localhost", JsonValueKind.String), ("fqdn", JsonValueKind.String), ("host", JsonValueKind.String),
        ("domain", JsonValueKind.String), ("hwaddr_interfaces", JsonValueKind.Object), ("id", JsonValueKind.String),
        ("ip4_interfaces", JsonValueKind.Object), ("ip6_interfaces", JsonValueKind.Object), ("ipv4", JsonValueKind.Array),
        ("ipv6", JsonValueKind.Array), ("fqdn_ip4", JsonValueKind.Array), ("fqdn_ip6", JsonValueKind.Array), ("ip_interfaces", JsonValueKind.Object),
        ("kernelparams", JsonValueKind.Array), ("locale_info", JsonValueKind.Object), ("num_gpus", JsonValueKind.Number),
        ("gpus", JsonValueKind.Array), ("kernel", JsonValueKind.String), ("nodename", JsonValueKind.String), ("kernelrelease", JsonValueKind.String),
        ("kernelversion", JsonValueKind.String), ("cpuarch", JsonValueKind.String), ("systemd", JsonValueKind.Object), ("init", JsonValueKind.String),
        ("os", JsonValueKind.String), ("os_family", JsonValueKind.String), ("oscodename", JsonValueKind.String), ("osfullname", JsonValueKind.String),
        ("osrelease", JsonValueKind.String), ("num_cpus", JsonValueKind.Number), ("cpu_model", JsonValueKind.String),
        ("cpu_flags", JsonValueKind.Array), ("osarch", JsonValueKind.String), ("mem_total", JsonValueKind.Number),
        ("swap_total", JsonValueKind.Number), ("virtual", JsonValueKind.String), ("ps", JsonValueKind.String),
        ("osrelease_info", JsonValueKind.Array), ("osmajorrelease", JsonValueKind.Number), ("osfinger", JsonValueKind.String),
        ("path", JsonValueKind.String), ("systempath", JsonValueKind.Array), ("saltversion", JsonValueKind.String),
        ("saltversioninfo", JsonValueKind.Array), ("disks", JsonValueKind.Array), ("ssds", JsonValueKind.Array), ("shell", JsonValueKind.String),
        ("transactional", JsonValueKind.False), ("efi", JsonValueKind.False), ("efi-secure-boot", JsonValueKind.False),
        ("username", JsonValueKind.String), ("groupname", JsonValueKind.String), ("pid", JsonValueKind.Number), ("gid", JsonValueKind.Number),
        ("uid", JsonValueKind.Number), ("zfs_support", JsonValueKind.False), ("zfs_feature_flags", JsonValueKind.False),
    ];

    // Salt's grains that describe its Python interpreter (and pyzmq's libzmq): this product has neither.
    private static readonly string[] PythonOnly = ["pythonexecutable", "pythonpath", "pythonversion", "saltpath", "zmqversion"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Stdout, string Stderr)> CallAsync(params string[] args)
    {
        var conf = _dir.Combine("conf");
        Directory.CreateDirectory(conf);
        await File.WriteAllTextAsync(Path.Combine(conf, "minion"),
            $"id: acc-local\nroot_dir: {conf}\nuser: root\nenable_fqdns_grains: False\nfile_client: local\ntest: True\n" +
            $"pki_dir: {conf}/pki\ncachedir: {conf}/cache\nsock_dir: {conf}/sock\nlog_file: {conf}/minion.log\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.CliApp.RunAsync(["call", "--local", "-c", conf, .. args], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static bool Present(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/sbin", "/bin", "/usr/sbin", "/usr/bin"])
        .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    [Fact]
    public async Task GrainsItems_HasSaltsGrainsWithSaltsTypes()
    {
        var (code, stdout, stderr) = await CallAsync("grains.items", "--out", "json");
        Assert.True(code == 0, stderr);
        var grains = JsonDocument.Parse(stdout).RootElement.GetProperty("local");

        var missing = new List<string>();
        var wrongKind = new List<string>();
        foreach (var (key, kind) in SaltGrains)
        {
            // Machine facts Salt found here that a host may lack: no gateway without `ip`, no systemd grain without systemd.
            if ((key.StartsWith("ip", StringComparison.Ordinal) && key.EndsWith("_gw", StringComparison.Ordinal) && !Present("ip"))
                || (key == "systemd" && !(Present("systemctl") && Present("localectl")))
                || (key is "osmajorrelease" or "osfinger" && !File.Exists("/etc/os-release")))
            {
                continue;
            }
            if (!grains.TryGetProperty(key, out var value))
            {
                missing.Add(key);
                continue;
            }
            var actual = value.ValueKind;
            var sameKind = kind is JsonValueKind.True or JsonValueKind.False
                ? actual is JsonValueKind.True or JsonValueKind.False
                : actual == kind || (key.EndsWith("_gw", StringComparison.Ordinal) && actual is JsonValueKind.True or JsonValueKind.False);
            if (!sameKind)
            {
                wrongKind.Add($"{key}: {actual} (Salt: {kind})");
            }
        }
        Assert.Empty(missing);
        Assert.Empty(wrongKind);
        Assert.All(PythonOnly, key => Assert.False(grains.TryGetProperty(key, out _), $"{key} should be absent"));

        // Values that do not depend on the machine, as Salt 3006.1 gave them for this config.
        Assert.Equal("3006.1", grains.GetProperty("saltversion").GetString());
        Assert.Equal("[3006,1]", grains.GetProperty("saltversioninfo").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal("salt", grains.GetProperty("master").GetString());
        Assert.Equal(2144238513L, grains.GetProperty("server_id").GetInt64());
        Assert.Equal("acc-local", grains.GetProperty("id").GetString());
        Assert.Equal(0, grains.GetProperty("fqdns").GetArrayLength());
        Assert.Equal("ps -efHww", grains.GetProperty("ps").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", grains.GetProperty("orchversion").GetString());
        if (!Present("lspci"))
        {
            Assert.Equal(0, grains.GetProperty("num_gpus").GetInt32());
        }
        if (!Directory.Exists("/run/systemd/system") && File.Exists("/proc/1/cmdline")
            && File.ReadAllText("/proc/1/cmdline").Split('\0')[0] is var pid1 && !pid1.EndsWith("init", StringComparison.Ordinal))
        {
            // systemd may be installed here, but PID 1 is not an init: Salt says unknown (not sysvinit, not systemd).
            Assert.Equal("unknown", grains.GetProperty("init").GetString());
        }
    }

    [Fact]
    public async Task RefreshGrains_ReturnsTrue()
    {
        var (code, stdout, stderr) = await CallAsync("saltutil.refresh_grains", "--out", "json");
        Assert.True(code == 0, stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("local").GetBoolean());
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// The <c>netns</c> driver: the node's minion runs in a Linux network namespace of its own with an address from the
/// provider's <c>subnet</c> (default 10.99.0.0/24), joined to the host by a veth pair whose host end holds the subnet's
/// first address, where the master must listen. Needs root (CAP_NET_ADMIN) and iproute2's <c>ip</c>.
/// </summary>
/// <remarks>
/// Each link is point-to-point (<c>ip addr add A/32 peer B/32</c>) so nodes reach only the master's side, never each
/// other or anything beyond the host.
/// </remarks>
internal sealed class NetnsDriver(MasterOptions options, ILogger logger) : ICloudDriver
{
    public const string DefaultSubnet = "10.99.0.0/24";

    private static readonly string[] IpLocations = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];

    public string Name => "netns";

    /// <summary>Why this host cannot run netns nodes, or null when it can.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the netns driver needs Linux network namespaces";
        }
        if (IpTool() is null)
        {
            return "the netns driver needs iproute2's 'ip' command, which is not installed (scripts/install-netns-tools.sh installs it)";
        }
        return HasNetAdmin() ? null : "the netns driver needs root (CAP_NET_ADMIN) to create network namespaces and veth pairs";
    }

    public async Task<CloudNode> PrepareAsync(CloudVm vm, CloudNode node, IReadOnlyList<CloudNode> existing, CancellationToken cancellationToken)
    {
        if (WhyUnavailable() is { } why)
        {
            throw new InvalidOperationException(why);
        }
        var subnet = Ipv4Subnet.Parse(vm.Settings.GetValueOrDefault("subnet") is { } s ? DataTree.KeyToString(s) : DefaultSubnet);
        var hostAddress = subnet.HostAddress;
        if (options.Interface is not ("0.0.0.0" or "::") && options.Interface != hostAddress)
        {
            throw new InvalidOperationException(
                $"the netns node reaches the master at {hostAddress}, but the master listens on {options.Interface} only: "
                + $"set 'interface: 0.0.0.0' (or {hostAddress}) in the master config and restart it");
        }
        var address = subnet.NextFree(existing.Where(n => n.Driver == Name).Select(n => n.Address))
            ?? throw new InvalidOperationException($"subnet {subnet} has no free address left");
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node.Name)))[..8];
        var prepared = node with
        {
            Address = address,
            MasterAddress = hostAddress,
            Namespace = "orch-" + node.Name,
            HostVeth = $"oc{tag}h",
        };
        var nodeVeth = $"oc{tag}n";
        if (File.Exists(Path.Combine("/run/netns", prepared.Namespace)))
        {
            throw new InvalidOperationException($"network namespace {prepared.Namespace} already exists; remove it with: ip netns del {prepared.Namespace}");
        }
        string ns = prepared.Namespace, hostVeth = prepared.HostVeth;
        await IpAsync(cancellationToken, "netns", "add", ns).ConfigureAwait(false);
        try
        {
            await IpAsync(cancellationToken, "link", "add", hostVeth, "type", "veth", "peer", "name", nodeVeth).ConfigureAwait(false);
            await IpAsync(cancellationToken, "link", "set", nodeVeth, "netns", ns).ConfigureAwait(false);
            await IpAsync(cancellationToken, "addr", "add", $"{hostAddress}/32", "peer", $"{address}/32", "dev", hostVeth).ConfigureAwait(false);
            await IpAsync(cancellationToken, "link", "set", hostVeth, "up").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "addr", "add", $"{address}/32", "peer", $"{hostAddress}/32", "dev", nodeVeth).ConfigureAwait(false);
            await IpAsync(cancellationToken, "-n", ns, "link", "set", nodeVeth, "up").ConfigureAwait(false);
        }
        catch
        {
            await TeardownAsync(prepared, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return prepared;
    }

    public IReadOnlyList<string> Command(CloudNode node, string binary) =>
        [IpTool()!, "netns", "exec", node.Namespace!, "setsid", binary, "-c", node.RootDir];

    public async Task TeardownAsync(CloudNode node, CancellationToken cancellationToken)
    {
        if (IpTool() is null)
        {
            return;
        }
        if (node.HostVeth is { } veth && Directory.Exists($"/sys/class/net/{veth}"))
        {
            await TryAsync(node.Name, cancellationToken, "link", "del", veth).ConfigureAwait(false);
        }
        if (node.Namespace is { } ns && File.Exists(Path.Combine("/run/netns", ns)))
        {
            // Anything still running inside would keep the namespace alive after its name is gone.
            var (_, pids, _) = await RunAsync(["netns", "pids", ns], cancellationToken).ConfigureAwait(false);
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    try
                    {
                        using var process = Process.GetProcessById(p);
                        process.Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        // Already gone.
                    }
                }
            }
            await TryAsync(node.Name, cancellationToken, "netns", "del", ns).ConfigureAwait(false);
        }
    }

    private async Task TryAsync(string name, CancellationToken cancellationToken, params string[] args)
    {
        var (exit, _, error) = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            CloudLog.NetnsTeardownFailed(logger, name, "ip " + string.Join(' ', args), error.Trim());
        }
    }

    private async Task IpAsync(CancellationToken cancellationToken, params string[] args)
    {
        var (exit, _, error) = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        CloudLog.NetnsCommand(logger, "ip " + string.Join(' ', args));
        var start = new ProcessStartInfo(IpTool()!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ip");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static string? IpTool() => IpLocations.FirstOrDefault(File.Exists);

    private static bool HasNetAdmin()
    {
        const int capNetAdmin = 12;
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null && ulong.TryParse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
                && (caps & (1UL << capNetAdmin)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

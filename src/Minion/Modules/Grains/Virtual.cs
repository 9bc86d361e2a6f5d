using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary><c>virtual</c> and <c>virtual_subtype</c> as Salt 3006.1's <c>_virtual</c> detects them on Linux.</summary>
/// <remarks>
/// The first of systemd-detect-virt, virt-what (used alone when installed), dmidecode and lspci (when <c>/proc/bus/pci</c>
/// exists and <c>enable_lspci</c> is not False) that answers decides the hypervisor; then the kernel's own markers: a chroot
/// (<c>/</c> differs from PID 1's root), OpenVZ, Xen, a QEMU CPU, the DMI product name, and last the container markers in
/// PID 1's cgroup (LXC, Docker, kubernetes, libpod) and environment (<c>container=lxc</c>). Like Salt 3006.1, a Docker
/// container that only systemd-detect-virt recognises ("docker") stays <c>physical</c>; a subtype without a type is <c>virtual</c>.
/// </remarks>
public sealed class VirtualGrains : IGrainProvider
{
    private static readonly HashSet<string> DetectVirtNames = new(StringComparer.Ordinal)
    {
        "qemu", "kvm", "oracle", "xen", "bochs", "chroot", "uml", "systemd-nspawn",
    };

    public string Name => "virtual";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = new Dictionary<string, object?>(StringComparer.Ordinal) { ["virtual"] = "physical" };
        if (!OperatingSystem.IsLinux() && context.Root == "/")
        {
            return grains;
        }
        await FromCommandsAsync(context, grains, cancellationToken).ConfigureAwait(false);
        if (context.HostExists("/proc") && await IsChrootAsync(context, cancellationToken).ConfigureAwait(false))
        {
            grains["virtual_subtype"] = "chroot";
        }
        FromKernel(context, grains);
        if (grains.ContainsKey("virtual_subtype") && (string?)grains["virtual"] == "physical")
        {
            grains["virtual"] = "virtual";
        }
        if ((string?)grains["virtual"] is "qemu" or "kvm" or "xen" or "amazon" && context.Which("dmidecode") is { } dmidecode)
        {
            var output = (await context.RunAsync(dmidecode, ["-t", "system"], cancellationToken).ConfigureAwait(false))?.Stdout ?? "";
            if (output.Contains("Manufacturer: Amazon EC2", StringComparison.Ordinal))
            {
                if ((string?)grains["virtual"] != "xen")
                {
                    grains["virtual"] = "Nitro";
                }
                var product = Regex.Match(output, @"Product Name: ([^\r\n]*)");
                grains["virtual_subtype"] = product.Success ? $"Amazon EC2 ({product.Groups[1].Value})" : "Amazon EC2";
            }
            else if (Regex.IsMatch(output, @"Version: [^\r\n]+\.amazon"))
            {
                grains["virtual_subtype"] = "Amazon EC2";
            }
        }
        return grains;
    }

    private static async Task FromCommandsAsync(GrainContext context, Dictionary<string, object?> grains, CancellationToken cancellationToken)
    {
        var commands = context.Which("virt-what") is not null ? new List<string> { "virt-what" } : ["systemd-detect-virt", "virt-what", "dmidecode"];
        if (context.Opts.GetValueOrDefault("enable_lspci") is not false && context.HostExists("/proc/bus/pci"))
        {
            commands.Add("lspci");
        }
        foreach (var command in commands)
        {
            if (context.Which(command) is not { } path)
            {
                continue;
            }
            var result = await context.RunAsync(path, [], cancellationToken).ConfigureAwait(false);
            if (result is null || result.ExitCode != 0)
            {
                // systemd-detect-virt exits non-zero on bare metal; the others cannot be run by this user.
                continue;
            }
            var output = result.Stdout.TrimEnd();
            if (Interpret(command, output, grains))
            {
                return;
            }
        }
    }

    /// <summary>Reads one tool's answer; true when the loop stops there (as Salt breaks out of it).</summary>
    private static bool Interpret(string command, string output, Dictionary<string, object?> grains)
    {
        void Set(string virt, string? subtype = null)
        {
            grains["virtual"] = virt;
            if (subtype is not null)
            {
                grains["virtual_subtype"] = subtype;
            }
        }
        switch (command)
        {
            case "systemd-detect-virt":
                if (DetectVirtNames.Contains(output)) { Set(output); return true; }
                if (output.Contains("vmware", StringComparison.Ordinal)) { Set("VMware"); return true; }
                if (output.Contains("microsoft", StringComparison.Ordinal)) { Set("VirtualPC"); return true; }
                if (output.Contains("lxc", StringComparison.Ordinal)) { Set("container", "LXC"); return true; }
                if (output.Contains("amazon", StringComparison.Ordinal)) { Set("Nitro", "Amazon EC2"); return true; }
                return false;
            case "virt-what":
                foreach (var line in output.Split('\n'))
                {
                    if (line is "kvm" or "qemu" or "uml" or "xen") { Set(line); break; }
                    if (line.Contains("lxc", StringComparison.Ordinal)) { Set("container", "LXC"); break; }
                    if (line.Contains("vmware", StringComparison.Ordinal)) { Set("VMware"); break; }
                    if (line.Contains("parallels", StringComparison.Ordinal)) { Set("Parallels"); break; }
                    if (line.Contains("hyperv", StringComparison.Ordinal)) { Set("HyperV"); break; }
                    if (line == "ibm_power-kvm") { Set("kvm"); break; }
                    if (line == "ibm_power-lpar_shared") { Set("LPAR", "shared"); break; }
                    if (line == "ibm_power-lpar_dedicated") { Set("LPAR", "dedicated"); break; }
                }
                return true;
            case "dmidecode":
                FromDmidecode(output, Set);
                return true;
            default:
                var model = output.ToLowerInvariant();
                if (model.Contains("vmware", StringComparison.Ordinal)) { Set("VMware"); }
                else if (model.Contains("virtualbox", StringComparison.Ordinal)) { Set("VirtualBox"); }
                else if (model.Contains("qemu", StringComparison.Ordinal) || model.Contains("virtio", StringComparison.Ordinal)) { Set("kvm"); }
                return true;
        }
    }

    private static void FromDmidecode(string output, Action<string, string?> set)
    {
        bool Has(string text) => output.Contains(text, StringComparison.Ordinal);
        if (Has("Vendor: QEMU") || Has("Manufacturer: QEMU") || Has("Vendor: Bochs") || Has("Manufacturer: Bochs"))
        {
            set("kvm", null);
        }
        if (Has("BHYVE")) { set("bhyve", null); }
        else if (Has("Manufacturer: oVirt")) { set("kvm", "ovirt"); }
        else if (Has("Product Name: RHEV Hypervisor")) { set("kvm", "rhev"); }
        else if (Has("VirtualBox")) { set("VirtualBox", null); }
        else if (Has("VMware")) { set("VMware", null); }
        else if (Has(": Microsoft") && Has("Virtual Machine")) { set("VirtualPC", null); }
        else if (Has("Parallels Software")) { set("Parallels", null); }
        else if (Has("Manufacturer: Google") || Has("Vendor: SeaBIOS")) { set("kvm", null); }
    }

    private static void FromKernel(GrainContext context, Dictionary<string, object?> grains)
    {
        if (context.HostExists("/proc/vz"))
        {
            if (File.Exists(context.HostPath("/proc/vz/version")))
            {
                grains["virtual"] = "openvzhn";
            }
            else if (File.Exists(context.HostPath("/proc/vz/veinfo")))
            {
                grains["virtual"] = "openvzve";
            }
        }
        foreach (var line in (context.ReadHostFile("/proc/self/status") ?? "").Split('\n'))
        {
            var envId = Regex.Match(line, @"^envID:\s+(\d+)$");
            if (envId.Success)
            {
                grains["virtual"] = envId.Groups[1].Value.TrimStart('0').Length > 0 ? "openvzve" : "openvzhn";
            }
        }
        FromXen(context, grains);
        if ((context.ReadHostFile("/proc/cpuinfo") ?? "").Contains("QEMU Virtual CPU", StringComparison.Ordinal))
        {
            grains["virtual"] = "kvm";
        }
        if (context.ReadHostFile("/sys/devices/virtual/dmi/id/product_name") is { } product)
        {
            if (product.Contains("VirtualBox", StringComparison.Ordinal)) { grains["virtual"] = "VirtualBox"; }
            else if (product.Contains("RHEV Hypervisor", StringComparison.Ordinal)) { grains["virtual"] = "kvm"; grains["virtual_subtype"] = "rhev"; }
            else if (product.Contains("oVirt Node", StringComparison.Ordinal)) { grains["virtual"] = "kvm"; grains["virtual_subtype"] = "ovirt"; }
            else if (product.Contains("Google", StringComparison.Ordinal)) { grains["virtual"] = "gce"; }
            else if (product.Contains("BHYVE", StringComparison.Ordinal)) { grains["virtual"] = "bhyve"; }
        }
        // Containers last, so a container inside a VM reports the container.
        if (context.ReadHostFile("/proc/1/cgroup") is { } cgroup)
        {
            if (cgroup.Contains(":/lxc/", StringComparison.Ordinal)) { grains["virtual"] = "container"; grains["virtual_subtype"] = "LXC"; }
            else if (cgroup.Contains(":/kubepods/", StringComparison.Ordinal)) { grains["virtual_subtype"] = "kubernetes"; }
            else if (cgroup.Contains(":/libpod_parent/", StringComparison.Ordinal)) { grains["virtual_subtype"] = "libpod"; }
            else if (new[] { ":/system.slice/docker", ":/docker/", ":/docker-ce/" }.Any(m => cgroup.Contains(m, StringComparison.Ordinal)))
            {
                grains["virtual"] = "container";
                grains["virtual_subtype"] = "Docker";
            }
        }
        if ((string?)grains.GetValueOrDefault("virtual_subtype") != "LXC"
            && (context.ReadHostFile("/proc/1/environ") ?? "").Contains("container=lxc", StringComparison.Ordinal))
        {
            grains["virtual"] = "container";
            grains["virtual_subtype"] = "LXC";
        }
    }

    private static void FromXen(GrainContext context, Dictionary<string, object?> grains)
    {
        if (!context.HostExists("/proc/sys/xen") && !context.HostExists("/sys/bus/xen") && !context.HostExists("/proc/xen"))
        {
            return;
        }
        if (File.Exists(context.HostPath("/proc/xen/xsd_kva")))
        {
            grains["virtual_subtype"] = "Xen Dom0";
        }
        else if (context.ReadHostFile("/sys/class/dmi/id/product_name")?.Trim() == "HVM domU")
        {
            grains["virtual_subtype"] = "Xen HVM DomU";
        }
        else if (context.ReadHostFile("/proc/xen/capabilities") is { } capabilities)
        {
            grains["virtual_subtype"] = capabilities.Contains("control_d", StringComparison.Ordinal) ? "Xen Dom0" : "Xen PV DomU";
        }
        else if (context.HostExists("/sys/bus/xen/drivers/xenconsole"))
        {
            grains["virtual_subtype"] = "Xen PV DomU";
        }
        if (((string?)grains.GetValueOrDefault("virtual_subtype") ?? "").Contains("dom", StringComparison.OrdinalIgnoreCase))
        {
            grains["virtual"] = "xen";
        }
    }

    /// <summary>
    /// True when this process's root is not PID 1's: Salt compares <c>os.stat</c> of both; here the device and inode that
    /// <c>stat</c> reports. False when PID 1's root cannot be read (Salt ignores that error too).
    /// </summary>
    private static async Task<bool> IsChrootAsync(GrainContext context, CancellationToken cancellationToken)
    {
        if (context.Which("stat") is not { } stat)
        {
            return false;
        }
        var result = await context.RunAsync(stat, ["-L", "-c", "%d:%i", context.HostPath("/"), context.HostPath("/proc/1/root/.")], cancellationToken)
            .ConfigureAwait(false);
        var lines = result is { ExitCode: 0 } ? result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
        return lines.Length == 2 && lines[0].Trim() != lines[1].Trim();
    }
}

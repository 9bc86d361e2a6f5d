using System.Globalization;
using System.Runtime.InteropServices;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>CPU grains from <c>/proc/cpuinfo</c> as Salt's <c>_linux_cpudata</c>: <c>num_cpus</c>, <c>cpu_model</c>, <c>cpu_flags</c>; and <c>cpuarch</c>, <c>osarch</c>.</summary>
public sealed class CpuGrains : IGrainProvider
{
    public string Name => "cpu";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        long processors = 0;
        var model = "Unknown";
        var flags = new List<object?>();
        foreach (var line in (context.ReadHostFile("/proc/cpuinfo") ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(':');
            if (parts.Length < 2)
            {
                continue;
            }
            var value = parts[1].Trim();
            // The last line of a kind wins, as in Salt's loop over every processor's block.
            switch (parts[0].Trim())
            {
                case "processor":
                    processors++;
                    break;
                case "# processors" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count):
                    processors = count;
                    break;
                case "vendor_id" or "model name" or "cpu":
                    model = value;
                    break;
                case "flags" or "Features":
                    flags = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList();
                    break;
                // Old ARM kernels: one "Processor" line for the whole chip.
                case "Processor":
                    model = value.Split('-')[0];
                    processors = 1;
                    break;
            }
        }
        var arch = context.ReadHostFile("/proc/sys/kernel/arch")?.Trim() is { Length: > 0 } a ? a : ArchFromRuntime();
        return new Dictionary<string, object?>
        {
            ["cpuarch"] = arch,
            ["osarch"] = await OsArchAsync(context, arch, cancellationToken).ConfigureAwait(false),
            ["num_cpus"] = processors,
            ["cpu_model"] = model,
            ["cpu_flags"] = flags,
        };
    }

    /// <summary>
    /// Salt's <c>_osarch</c>: the package architecture on Debian-family hosts (<c>dpkg --print-architecture</c>, here where dpkg
    /// is installed), else the CPU architecture (what rpm reports on RedHat and SUSE).
    /// </summary>
    private static async Task<string> OsArchAsync(GrainContext context, string cpuarch, CancellationToken cancellationToken)
    {
        if (context.HostExists("/var/lib/dpkg") && context.Which("dpkg") is { } dpkg
            && await context.RunAsync(dpkg, ["--print-architecture"], cancellationToken).ConfigureAwait(false) is { ExitCode: 0 } result
            && result.Stdout.Trim() is { Length: > 0 } arch)
        {
            return arch;
        }
        return context.HostExists("/var/lib/dpkg") ? DebianArch(cpuarch) : cpuarch;
    }

    private static string ArchFromRuntime() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.X86 => "i686",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loongarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string DebianArch(string cpuarch) => cpuarch switch
    {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "i686" or "i586" or "i386" => "i386",
        "armv7l" => "armhf",
        "ppc64le" => "ppc64el",
        _ => cpuarch,
    };
}

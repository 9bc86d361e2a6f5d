using System.Runtime.InteropServices;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>CPU grains from <c>/proc/cpuinfo</c>: <c>cpuarch</c>, <c>num_cpus</c>, <c>cpu_model</c>, <c>cpu_flags</c>, <c>osarch</c>.</summary>
public sealed class CpuGrains : IGrainProvider
{
    public string Name => "cpu";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var cpuinfo = context.ReadHostFile("/proc/cpuinfo") ?? string.Empty;
        var processors = 0;
        string? model = null;
        var flags = new List<object?>();
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    processors++;
                    break;
                // x86 says "model name"; arm64 and others say "Processor", "cpu model" or "CPU part".
                case "model name" or "cpu model" or "Processor" when model is null:
                    model = value;
                    break;
                case "flags" or "Features" when flags.Count == 0:
                    flags.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
            }
        }
        var arch = context.ReadHostFile("/proc/sys/kernel/arch")?.Trim() is { Length: > 0 } a ? a : ArchFromRuntime();
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["cpuarch"] = arch,
            ["osarch"] = DebianArch(arch),
            ["num_cpus"] = (long)(processors > 0 ? processors : Environment.ProcessorCount),
            ["cpu_model"] = model ?? "Unknown",
            ["cpu_flags"] = flags,
        });
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

using System.Runtime.InteropServices;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Kernel grains: <c>kernel</c>, <c>kernelrelease</c>, <c>kernelversion</c>.</summary>
public sealed class KernelGrains : IGrainProvider
{
    public string Name => "kernel";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var kernel = OperatingSystem.IsLinux() ? "Linux"
            : OperatingSystem.IsMacOS() ? "Darwin"
            : OperatingSystem.IsFreeBSD() ? "FreeBSD"
            : OperatingSystem.IsWindows() ? "Windows"
            : RuntimeInformation.OSDescription.Split(' ')[0];
        var release = context.ReadHostFile("/proc/sys/kernel/osrelease")?.Trim();
        var version = context.ReadHostFile("/proc/sys/kernel/version")?.Trim();
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["kernel"] = kernel,
            ["kernelrelease"] = release ?? Environment.OSVersion.Version.ToString(),
            ["kernelversion"] = version ?? string.Empty,
        });
    }
}

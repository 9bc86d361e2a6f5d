namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>ps</c> grain: the command that lists every process, as Salt's <c>_ps</c> picks it for the kernel.</summary>
public sealed class PsGrains : IGrainProvider
{
    public string Name => "ps";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var ps = OperatingSystem.IsWindows() ? "tasklist.exe"
            : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? "ps auxwww"
            // An OpenVZ host node (what the virtual grain calls openvzhn) lists only its own processes.
            : File.Exists(context.HostPath("/proc/vz/version"))
                ? "ps -fH -p $(grep -l \"^envID:[[:space:]]*0\\$\" /proc/[0-9]*/status | sed -e \"s=/proc/\\([0-9]*\\)/.*=\\1=\")  | awk '{ $7=\"\"; print }'"
                : "ps -efHww";
        return Task.FromResult(new Dictionary<string, object?> { ["ps"] = ps });
    }
}

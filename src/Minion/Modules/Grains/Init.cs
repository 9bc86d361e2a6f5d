namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>init</c> grain: <c>systemd</c> when it runs the host, else <c>sysvinit</c> (or <c>unknown</c>).</summary>
public sealed class InitGrains : IGrainProvider
{
    public string Name => "init";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var init = Directory.Exists(context.HostPath("/run/systemd/system")) ? "systemd"
            : Directory.Exists(context.HostPath("/etc/init.d")) ? "sysvinit"
            : "unknown";
        return Task.FromResult(new Dictionary<string, object?> { ["init"] = init });
    }
}

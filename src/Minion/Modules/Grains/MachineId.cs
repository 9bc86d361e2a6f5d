namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>machine_id</c> grain from <c>/etc/machine-id</c> (or D-Bus's copy); absent when neither exists.</summary>
public sealed class MachineIdGrains : IGrainProvider
{
    public string Name => "machine_id";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var id = (context.ReadHostFile("/etc/machine-id") ?? context.ReadHostFile("/var/lib/dbus/machine-id"))?.Trim();
        var grains = new Dictionary<string, object?>();
        if (!string.IsNullOrEmpty(id))
        {
            grains["machine_id"] = id;
        }
        return Task.FromResult(grains);
    }
}

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>master</c> grain: the configured master (<c>master:</c>, "salt" by default, as Salt's <c>get_master</c>).</summary>
public sealed class MasterGrains : IGrainProvider
{
    public string Name => "master";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, object?>
        {
            // A list of masters (multi-master) stays a list, as in Salt.
            ["master"] = context.Opts.TryGetValue("master", out var master) ? master : "salt",
        });
}

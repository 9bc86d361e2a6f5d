namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>id</c> grain: the minion id.</summary>
public sealed class IdGrains : IGrainProvider
{
    public string Name => "id";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, object?> { ["id"] = context.MinionId });
}

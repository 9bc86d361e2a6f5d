namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>transactional</c> grain: True where <c>transactional-update</c> is installed (SUSE's read-only root systems).</summary>
public sealed class TransactionalGrains : IGrainProvider
{
    public string Name => "transactional";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, object?> { ["transactional"] = context.Which("transactional-update") is not null });
}

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Detects one concern's grains (OS, CPU, network...); Nomad calls these fingerprinters.</summary>
/// <remarks>
/// A provider returns only the grains it owns. It may throw; <see cref="GrainsCollector"/> logs the failure and carries on
/// without that provider's grains. Providers read host files through <see cref="GrainContext.HostPath"/> so tests can point them
/// at a fake root.
/// </remarks>
public interface IGrainProvider
{
    /// <summary>A short name for logs and failure reports (<c>os</c>, <c>cpu</c>).</summary>
    string Name { get; }

    Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken);
}

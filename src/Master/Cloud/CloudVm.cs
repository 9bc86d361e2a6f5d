namespace Orchestrator.Master.Cloud;

/// <summary>
/// Everything one node is created from, Salt's <c>vm_</c>: the provider's settings overlaid by the profile's (its
/// <c>extends:</c> chain resolved), <c>minion:</c> mappings merged key by key.
/// </summary>
/// <param name="Name">The node's name, which is also its minion id.</param>
/// <param name="Profile">The profile's name, or null when created from a provider alone (<c>cloud.create</c>).</param>
/// <param name="Provider">The provider.</param>
/// <param name="Settings">The merged settings.</param>
public sealed record CloudVm(string Name, string? Profile, CloudProvider Provider, Dictionary<string, object?> Settings)
{
    /// <summary>The <c>minion:</c> options the node's minion config gets.</summary>
    public Dictionary<string, object?> MinionOptions =>
        Settings.GetValueOrDefault("minion") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
}

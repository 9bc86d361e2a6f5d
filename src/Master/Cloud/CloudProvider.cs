namespace Orchestrator.Master.Cloud;

/// <summary>A configured cloud provider: its alias (the key in <c>cloud.providers.d/*.conf</c>), its driver and its settings.</summary>
/// <param name="Alias">The name profiles refer to (<c>provider: my-local</c>).</param>
/// <param name="Driver">The driver that does the work: <c>local</c> or <c>netns</c>.</param>
/// <param name="Settings">Every key of the provider's block, <c>driver</c> included.</param>
/// <param name="Source">The file (or master config key) it was read from, for messages.</param>
public sealed record CloudProvider(string Alias, string Driver, Dictionary<string, object?> Settings, string Source)
{
    /// <summary>Salt's <c>alias:driver</c> form, as events and returns name a provider.</summary>
    public string FullName => $"{Alias}:{Driver}";
}

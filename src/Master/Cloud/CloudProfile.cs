namespace Orchestrator.Master.Cloud;

/// <summary>A configured profile, as written (before <c>extends:</c> is resolved).</summary>
/// <param name="Name">The profile's name (<c>orch cloud -p NAME</c>).</param>
/// <param name="Settings">Its keys: <c>provider</c>, <c>extends</c>, <c>minion</c> and provider-specific ones.</param>
/// <param name="Source">The file (or master config key) it was read from, for messages.</param>
public sealed record CloudProfile(string Name, Dictionary<string, object?> Settings, string Source);

namespace Orchestrator.Shared.Config;

/// <summary>A known configuration key: its Salt name, type and default.</summary>
public sealed record ConfigKey(string Name, ConfigKind Kind, object? Default, string Doc);

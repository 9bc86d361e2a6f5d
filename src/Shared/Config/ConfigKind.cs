namespace Orchestrator.Shared.Config;

/// <summary>The type a configuration key must have.</summary>
public enum ConfigKind
{
    /// <summary>Any scalar, kept as text.</summary>
    String,

    /// <summary>An integer.</summary>
    Int,

    /// <summary>A TCP port, 1–65535.</summary>
    Port,

    /// <summary>true/false (also yes/no/on/off).</summary>
    Bool,

    /// <summary>A mapping.</summary>
    Map,

    /// <summary>A sequence (a single scalar becomes a one-item list).</summary>
    List,

    /// <summary>One of trace, debug, info, warning, error, critical, quiet.</summary>
    LogLevel,

    /// <summary>Anything; kept as loaded.</summary>
    Any,
}

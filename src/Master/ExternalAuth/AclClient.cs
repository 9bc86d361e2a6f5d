namespace Orchestrator.Master.ExternalAuth;

/// <summary>The kind of request an ACL entry applies to: a publish to minions, or Salt's <c>@runner</c>, <c>@wheel</c>, <c>@jobs</c>.</summary>
public enum AclClient
{
    /// <summary>A job published to minions (Salt's <c>local</c> client).</summary>
    Local,

    /// <summary>A runner function (<c>@runner</c>).</summary>
    Runner,

    /// <summary>A wheel function (<c>@wheel</c>), e.g. <c>key.accept</c>.</summary>
    Wheel,

    /// <summary>Job lookups (<c>@jobs</c>).</summary>
    Jobs,
}

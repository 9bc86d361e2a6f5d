namespace Orchestrator.Master.ExternalAuth;

/// <summary>The answer of an ACL check; <see cref="Reason"/> names the user, target and function of a refusal.</summary>
public sealed record AclDecision(bool Allowed, string Reason)
{
    /// <summary>
    /// Set when a targeted ACL entry allowed a publish: the minions it was checked for, the only ones the job may reach.
    /// Minions pick a job by its target themselves, and one the master's cache did not resolve the same way (grains not
    /// cached yet, or stale) would otherwise run it too; the job is published to exactly these as a list.
    /// </summary>
    public IReadOnlyList<string>? Minions { get; init; }

    /// <summary>The target a publish allowed by this decision goes out with: the checked list, or the request's own.</summary>
    public (string Target, string TargetType) TargetFor(string target, string targetType) =>
        Minions is { } minions ? (string.Join(',', minions), "list") : (target, targetType);
}

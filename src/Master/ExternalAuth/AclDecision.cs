namespace Orchestrator.Master.ExternalAuth;

/// <summary>The answer of an ACL check; <see cref="Reason"/> names the user, target and function of a refusal.</summary>
public sealed record AclDecision(bool Allowed, string Reason);

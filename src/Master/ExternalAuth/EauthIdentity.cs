namespace Orchestrator.Master.ExternalAuth;

/// <summary>A user an eauth backend has authenticated: the name, the backend (<c>pam</c>, <c>file</c>) and the user's groups.</summary>
public sealed record EauthIdentity(string Name, string Eauth, IReadOnlyList<string> Groups);

namespace Orchestrator.Minion.Modules.Providers;

/// <summary>One line of <c>/etc/passwd</c>; <see cref="Gecos"/> is the raw comment field.</summary>
public sealed record UserAccount(string Name, string Passwd, long Uid, long Gid, string Gecos, string Home, string Shell);

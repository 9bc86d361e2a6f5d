namespace Orchestrator.Minion.Modules.Providers;

/// <summary>One line of <c>/etc/group</c>.</summary>
public sealed record GroupAccount(string Name, string Passwd, long Gid, IReadOnlyList<string> Members);

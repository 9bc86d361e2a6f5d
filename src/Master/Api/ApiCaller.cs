namespace Orchestrator.Master.Api;

/// <summary>Who a request (or one chunk of it) runs as: the eauth user and the permission list the ACL checks.</summary>
public sealed record ApiCaller(string User, string Eauth, IReadOnlyList<object?> Perms);

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The local user on the other end of an IPC connection, from the kernel (SO_PEERCRED), never from the request.
/// <see cref="Privileged"/>: root or the master's own user, who may do anything the blacklist does not forbid.
/// </summary>
public sealed record IpcCaller(uint Uid, string Name, bool Privileged, IReadOnlyList<string> Groups);

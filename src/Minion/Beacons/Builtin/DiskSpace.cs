namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>A file system's space in bytes: in use, and still available to unprivileged users.</summary>
public sealed record DiskSpace(long Used, long Available);

using Orchestrator.Shared.Ipc;

namespace Orchestrator.Master.Events;

/// <summary>An event on the master's bus.</summary>
public sealed record MasterEvent(string Tag, Dictionary<string, object?> Data, DateTimeOffset Timestamp)
{
    private byte[]? _ipcFrame;

    /// <summary>
    /// The event as the CLI's event stream frames it, encoded once however many <c>state.event</c> streams carry it (the
    /// data belongs to the bus once published and does not change).
    /// </summary>
    public byte[] IpcFrame => Volatile.Read(ref _ipcFrame) ?? Interlocked.CompareExchange(ref _ipcFrame, Encode(), null) ?? _ipcFrame!;

    private byte[] Encode() => IpcFraming.Encode(new(StringComparer.Ordinal)
    {
        ["type"] = "event",
        ["tag"] = Tag,
        ["data"] = Data,
        ["ts"] = Timestamp.ToString("O"),
    });
}

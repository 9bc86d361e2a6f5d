using System.Buffers.Binary;
using Orchestrator.Shared.Ipc;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Tests.Ipc;

public class IpcFramingTests
{
    [Fact]
    public async Task ReadAsync_PrefixClaimingMoreThanArrives_AllocatesWhatArrivedNotWhatWasClaimed()
    {
        // Found by the fuzz suite: 4 bytes claiming a 28 MiB frame made the reader allocate 28 MiB before reading any of it.
        var frame = new byte[4 + 10];
        BinaryPrimitives.WriteInt32BigEndian(frame, IpcFraming.MaxFrameSize);
        using var stream = new MemoryStream(frame);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = await IpcFraming.ReadAsync(stream, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(message);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for a 14-byte stream");
    }

    [Fact]
    public async Task ReadAsync_LargeFrameInSmallReads_RoundTrips()
    {
        var message = new Dictionary<string, object?> { ["cmd"] = "publish", ["blob"] = new string('x', 300_000) };
        using var stream = new TrickleStream(IpcFraming.Encode(message), chunk: 1000);

        var read = await IpcFraming.ReadAsync(stream, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal("publish", read["cmd"]);
        Assert.Equal(300_000, Assert.IsType<string>(read["blob"]).Length);
        Assert.Null(await IpcFraming.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_OversizedPrefix_IsAWireFormatError()
    {
        var frame = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(frame, IpcFraming.MaxFrameSize + 1);

        await Assert.ThrowsAsync<WireFormatException>(() => IpcFraming.ReadAsync(new MemoryStream(frame), CancellationToken.None));
    }

    // Hands out at most `chunk` bytes per read, like a socket under load.
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}

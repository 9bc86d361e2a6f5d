using MessagePack;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Tests.Data;

public sealed class DataTreePackTests
{
    private static Dictionary<string, object?> Sample() => new(StringComparer.Ordinal)
    {
        ["text"] = "héllo",
        ["int"] = 42L,
        ["negative"] = -7L,
        ["big"] = long.MaxValue,
        ["float"] = 1.5,
        ["yes"] = true,
        ["nil"] = null,
        ["list"] = new List<object?> { 1L, "two", new List<object?>(), new Dictionary<string, object?>(StringComparer.Ordinal) },
        ["nested"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["deep"] = new List<object?> { false } },
    };

    [Fact]
    public void ARoundTrip_GivesTheSameTree()
    {
        var tree = Sample();

        var back = DataTreePack.Deserialize(DataTreePack.Serialize(tree));

        Assert.Equal(DataTree.ToJson(tree), DataTree.ToJson(back));
        var map = Assert.IsType<Dictionary<string, object?>>(back);
        Assert.IsType<long>(map["int"]);
        Assert.IsType<List<object?>>(map["list"]);
    }

    [Fact]
    public void ReadsWhatMessagePacksOwnSerializerWrote_AsTheWireCodecReadsIt()
    {
        // An older CLI or master encoded IPC frames with MessagePackSerializer<object>: both must read each other.
        var tree = Sample();
        var legacy = MessagePackSerializer.Serialize<object>(tree, WireCodec.Options);

        Assert.Equal(DataTree.ToJson(DataTree.Normalize(WireCodec.Deserialize<object>(legacy))), DataTree.ToJson(DataTreePack.Deserialize(legacy)));
        Assert.Equal(DataTree.ToJson(tree), DataTree.ToJson(DataTree.Normalize(WireCodec.Deserialize<object>(DataTreePack.Serialize(tree)))));
    }

    [Fact]
    public void ValuesOutsideTheModel_AreWrittenAsNormalizeMakesThem()
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["bytes"] = new byte[] { 1, 2, 3 },
            ["huge"] = ulong.MaxValue,
            ["short"] = (short)3,
            ["set"] = new HashSet<string> { "a" },
            ["keys"] = new Dictionary<int, string> { [1] = "one" },
        };

        var back = (Dictionary<string, object?>)DataTreePack.Deserialize(DataTreePack.Serialize(tree))!;

        Assert.Equal(Convert.ToBase64String([1, 2, 3]), back["bytes"]);
        Assert.Equal((double)ulong.MaxValue, back["huge"]);
        Assert.Equal(3L, back["short"]);
        Assert.Equal(new List<object?> { "a" }, back["set"]);
        Assert.Equal("one", ((Dictionary<string, object?>)back["keys"]!)["1"]);
    }

    [Fact]
    public void TruncatedTrailingOrTooDeepInput_IsAWireFormatError()
    {
        var bytes = DataTreePack.Serialize(Sample());
        Assert.Throws<WireFormatException>(() => DataTreePack.Deserialize(bytes.AsMemory(0, bytes.Length - 3)));
        Assert.Throws<WireFormatException>(() => DataTreePack.Deserialize(bytes.Concat(new byte[] { 0xc0 }).ToArray()));
        Assert.Throws<WireFormatException>(() => DataTreePack.Deserialize(new byte[] { 0xc1 }));

        // 600 nested one-element arrays: 0x91 each, then nil.
        var deep = Enumerable.Repeat((byte)0x91, 600).Append((byte)0xc0).ToArray();
        Assert.Throws<WireFormatException>(() => DataTreePack.Deserialize(deep));
        object? tooDeep = null;
        for (var i = 0; i < 600; i++)
        {
            tooDeep = new List<object?> { tooDeep };
        }
        Assert.Throws<WireFormatException>(() => DataTreePack.Serialize(tooDeep));
    }
}

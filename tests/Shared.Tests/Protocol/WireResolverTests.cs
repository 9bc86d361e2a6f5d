using System.Reflection;
using MessagePack;
using MessagePack.Resolvers;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Shared.Tests.Protocol;

/// <summary>
/// The compile-time formatters against MessagePack's dynamic resolver, which every earlier master and minion used: the same
/// bytes for every wire type, and each reads what the other wrote.
/// </summary>
public sealed class WireResolverTests
{
    private static readonly MessagePackSerializerOptions Dynamic = MessagePackSerializerOptions.Standard
        .WithResolver(StandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public static TheoryData<string> WireTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in WireTypeList())
        {
            data.Add(type.FullName!);
        }
        return data;
    }

    private static IEnumerable<Type> WireTypeList() =>
        typeof(Envelope).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static Type Named(string name) => typeof(Envelope).Assembly.GetType(name, throwOnError: true)!;

    [Fact]
    public void EveryWireType_HasAGeneratedFormatter()
    {
        var types = WireTypeList().ToList();

        Assert.True(types.Count >= 27, $"only {types.Count} wire types found");
        Assert.All(types, t => Assert.True(WireResolver.IsGenerated(t), $"{t.Name} has no generated formatter"));
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void EveryMemberFilled_EachReadsWhatTheOtherWrote(string typeName)
    {
        var type = Named(typeName);
        var message = Filled(type, integersInTrees: true);

        var generated = MessagePackSerializer.Serialize(type, message, WireCodec.Options);
        var dynamic = MessagePackSerializer.Serialize(type, message, Dynamic);

        Assert.Equal(Describe(message), Describe(MessagePackSerializer.Deserialize(type, dynamic, WireCodec.Options)));
        Assert.Equal(Describe(message), Describe(MessagePackSerializer.Deserialize(type, generated, Dynamic)));
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void EveryMemberFilled_TheSameBytesAsTheDynamicResolver(string typeName)
    {
        // Integers inside data trees are the one difference: the dynamic resolver wrote a boxed long at its full eight
        // bytes, DataTreePack in the smallest form, as it writes typed members. Both read either.
        var type = Named(typeName);
        var message = Filled(type, integersInTrees: false);

        var generated = MessagePackSerializer.Serialize(type, message, WireCodec.Options);

        Assert.Equal(Convert.ToHexString(MessagePackSerializer.Serialize(type, message, Dynamic)), Convert.ToHexString(generated));
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void EveryReferenceMemberNull_TheSameBytes_AndNullsReadBack(string typeName)
    {
        var type = Named(typeName);
        var message = Activator.CreateInstance(type)!;
        foreach (var property in Keyed(type).Where(p => !p.PropertyType.IsValueType))
        {
            property.SetValue(message, null);
        }

        var generated = MessagePackSerializer.Serialize(type, message, WireCodec.Options);

        Assert.Equal(Convert.ToHexString(MessagePackSerializer.Serialize(type, message, Dynamic)), Convert.ToHexString(generated));
        Assert.Equal(Describe(message), Describe(MessagePackSerializer.Deserialize(type, generated, WireCodec.Options)));
    }

    [Fact]
    public void AMessageFromANewerPeer_WithMoreKeys_IsReadAndTheExtraSkipped()
    {
        var frame = Written((ref MessagePackWriter pack) =>
        {
            pack.WriteArrayHeader(3);
            pack.Write("20261202000000000001");
            pack.Write("a member this build does not know");
            pack.WriteMapHeader(1);
            pack.Write("future");
            pack.Write(1);
        });

        var ack = WireCodec.Deserialize<JobAck>(frame);

        Assert.Equal("20261202000000000001", ack.Jid);
    }

    [Fact]
    public void AMemberOfTheWrongShape_IsAWireFormatError()
    {
        var frame = Written((ref MessagePackWriter pack) =>
        {
            pack.WriteArrayHeader(11);
            pack.Write("jid");
            pack.Write("test.ping");
            pack.WriteNil();
            pack.Write(0);
            pack.Write(true);
            pack.Write(0L);
            pack.Write(1.0);
            pack.Write("");
            pack.Write("");
            pack.Write("not a list");
            pack.WriteMapHeader(0);
        });

        var error = Assert.Throws<WireFormatException>(() => WireCodec.Deserialize<JobReturn>(frame));

        Assert.Contains("JobReturn", error.Message);
        Assert.Contains("expected a list", error.Message);
    }

    [Fact]
    public void ADataTreeNestedTooDeep_IsRefused_NotAStackOverflow()
    {
        var frame = Written((ref MessagePackWriter pack) =>
        {
            pack.WriteArrayHeader(3);
            pack.Write("jid");
            pack.Write("test.ping");
            for (var i = 0; i < 100_000; i++)
            {
                pack.WriteArrayHeader(1);
            }
            pack.WriteNil();
        });

        var error = Assert.Throws<WireFormatException>(() => WireCodec.Deserialize<JobReturn>(frame));

        Assert.Contains("deeper than", error.Message);
    }

    [Fact]
    public void DataTreesInMessages_AreReadIntoTheCanonicalModel()
    {
        var ret = new JobReturn { Jid = "1", Return = new Dictionary<string, object?> { ["n"] = 3, ["b"] = new byte[] { 1 } } };

        var back = WireCodec.Deserialize<JobReturn>(WireCodec.Serialize(ret));

        var map = Assert.IsType<Dictionary<string, object?>>(back.Return);
        Assert.IsType<long>(map["n"]);
        Assert.Equal(Convert.ToBase64String([1]), map["b"]);
    }

    private delegate void Writes(ref MessagePackWriter pack);

    // A frame written by hand, as a peer of another build (or an attacker) may write it.
    private static ReadOnlyMemory<byte> Written(Writes writes)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var pack = new MessagePackWriter(buffer);
        writes(ref pack);
        pack.Flush();
        return buffer.WrittenMemory;
    }

    private static IEnumerable<PropertyInfo> Keyed(Type type) =>
        type.GetProperties().Where(p => p.GetCustomAttribute<KeyAttribute>() is not null);

    private static object Filled(Type type, bool integersInTrees)
    {
        var message = Activator.CreateInstance(type)!;
        foreach (var property in Keyed(type))
        {
            var key = property.GetCustomAttribute<KeyAttribute>()!.IntKey!.Value;
            property.SetValue(message, SampleOf(property.PropertyType, key, integersInTrees));
        }
        return message;
    }

    private static object? SampleOf(Type type, int key, bool integersInTrees) => type switch
    {
        _ when type == typeof(string) => $"text-{key}-é",
        _ when type == typeof(byte[]) => Enumerable.Range(0, 12 + key).Select(i => (byte)(i * 7 + key)).ToArray(),
        _ when type == typeof(int) => 1000 + key,
        _ when type == typeof(long) => 10_000_000_000L + key,
        _ when type == typeof(bool) => key % 2 == 0,
        _ when type == typeof(double) => 1.25 + key,
        _ when type == typeof(MessageType) => MessageType.JobReturn,
        _ when type == typeof(List<string>) => new List<string> { "a", $"b{key}" },
        _ when type == typeof(Dictionary<string, string>) => new Dictionary<string, string> { ["k"] = $"v{key}", ["empty"] = "" },
        _ when type == typeof(List<object?>) => new List<object?> { integersInTrees ? 1L : "one", "two", null, true, 2.5, Tree(key, integersInTrees) },
        _ when type == typeof(Dictionary<string, object?>) || type == typeof(object) => Tree(key, integersInTrees),
        _ => throw new InvalidOperationException($"no sample for {type}: add one when a wire type gains a member type"),
    };

    private static Dictionary<string, object?> Tree(int key, bool integers)
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = $"web{key}",
            ["ratio"] = 0.5,
            ["yes"] = true,
            ["none"] = null,
            ["list"] = new List<object?> { "one", new List<object?>(), new Dictionary<string, object?>(StringComparer.Ordinal) },
            ["nested"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["deep"] = new List<object?> { false, "ü" } },
        };
        if (integers)
        {
            tree["small"] = 3L;
            tree["negative"] = -40000L;
            tree["big"] = long.MaxValue;
            ((List<object?>)tree["list"]!).Add(1L);
        }
        return tree;
    }

    // The members' values as text, data trees in their canonical form (the dynamic resolver reads them as MessagePack's
    // primitive objects, which the wire's readers normalize).
    private static string Describe(object? message) =>
        message is null
            ? "null"
            : string.Join("\n", Keyed(message.GetType()).Select(p => $"{p.Name}={DescribeValue(p.GetValue(message))}"));

    private static string DescribeValue(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
        string or bool or int or long or double or MessageType => $"{value.GetType().Name}:{value}",
        _ => DataTree.ToJson(DataTree.Normalize(value), indent: false),
    };
}

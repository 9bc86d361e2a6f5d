using System.Buffers;
using MessagePack;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Protocol;

/// <summary>
/// How the generated wire formatters (<see cref="WireResolver"/>) write and read the member types that are not primitives,
/// each as MessagePack's own formatters for that type did: nil for null, and null back for nil.
/// </summary>
internal static class WireValues
{
    /// <summary>
    /// Reads one data tree (<see cref="DataTreePack"/>) that must be a <typeparamref name="T"/>, or nil;
    /// <paramref name="expected"/> names it in the error.
    /// </summary>
    public static T? ReadTree<T>(ref MessagePackReader reader, string expected) =>
        DataTreePack.Read(ref reader) switch
        {
            null => default,
            T tree => tree,
            var other => throw new WireFormatException($"expected {expected}, found {other.GetType().Name}"),
        };

    public static byte[]? ReadBytes(ref MessagePackReader reader) => reader.ReadBytes()?.ToArray();

    public static void WriteStrings(ref MessagePackWriter writer, List<string>? values)
    {
        if (values is null)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    public static List<string>? ReadStrings(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        var count = reader.ReadArrayHeader();
        var values = new List<string>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            values.Add(reader.ReadString()!);
        }
        return values;
    }

    public static void WriteStringMap(ref MessagePackWriter writer, Dictionary<string, string>? map)
    {
        if (map is null)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteMapHeader(map.Count);
        foreach (var (key, value) in map)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    public static Dictionary<string, string>? ReadStringMap(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        var count = reader.ReadMapHeader();
        var map = new Dictionary<string, string>(Math.Min(count, 1024), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString() ?? throw new WireFormatException("a mapping of text has a nil key");
            map[key] = reader.ReadString()!;
        }
        return map;
    }
}

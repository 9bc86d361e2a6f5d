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
    public static void WriteData(ref MessagePackWriter writer, object? value) => DataTreePack.Write(ref writer, value);

    public static object? ReadData(ref MessagePackReader reader) => DataTreePack.Read(ref reader);

    public static Dictionary<string, object?>? ReadDataMap(ref MessagePackReader reader) =>
        ReadData(ref reader) switch
        {
            null => null,
            Dictionary<string, object?> map => map,
            var other => throw new WireFormatException($"expected a mapping, found {other.GetType().Name}"),
        };

    public static List<object?>? ReadDataList(ref MessagePackReader reader) =>
        ReadData(ref reader) switch
        {
            null => null,
            List<object?> list => list,
            var other => throw new WireFormatException($"expected a list, found {other.GetType().Name}"),
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

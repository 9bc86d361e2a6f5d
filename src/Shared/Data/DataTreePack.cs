using System.Buffers;
using MessagePack;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Data;

/// <summary>
/// MessagePack for data trees (mappings, lists, text, numbers, booleans, nil, bytes) written and read with
/// MessagePack's writer and reader alone, no resolver: no formatter is made by reflection at run time, so it works in a
/// natively compiled CLI, and it reads straight into the canonical data model (<see cref="DataTree.Normalize"/>'s).
/// </summary>
public static class DataTreePack
{
    /// <summary>Deepest nesting read; deeper input is refused rather than risking the stack (as MessagePack's UntrustedData).</summary>
    public const int MaxDepth = 500;

    /// <summary>One tree as MessagePack; anything outside the data model is written as <see cref="DataTree.Normalize"/> makes it.</summary>
    public static byte[] Serialize(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value, 0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one tree; throws <see cref="WireFormatException"/> on malformed, truncated or too deep input.</summary>
    public static object? Deserialize(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            var value = Read(ref reader, 0);
            if (!reader.End)
            {
                throw new WireFormatException("trailing bytes after the value");
            }
            return value;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or OverflowException)
        {
            throw new WireFormatException($"malformed data: {e.Message}", e);
        }
    }

    /// <summary>Writes one tree with the caller's writer (a field of a larger message).</summary>
    public static void Write(ref MessagePackWriter writer, object? value) => Write(ref writer, value, 0);

    /// <summary>Reads one tree with the caller's reader; throws <see cref="WireFormatException"/> on input outside the model.</summary>
    public static object? Read(ref MessagePackReader reader) => Read(ref reader, 0);

    private static void Write(ref MessagePackWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new WireFormatException($"data nested deeper than {MaxDepth}");
        }
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case string s:
                writer.Write(s);
                break;
            case bool b:
                writer.Write(b);
                break;
            case long l:
                writer.Write(l);
                break;
            case int i:
                writer.Write(i);
                break;
            case double d:
                writer.Write(d);
                break;
            case byte[] bytes:
                writer.Write(bytes);
                break;
            case Dictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item, depth + 1);
                }
                break;
            case List<object?> list:
                writer.WriteArrayHeader(list.Count);
                foreach (var item in list)
                {
                    Write(ref writer, item, depth + 1);
                }
                break;
            default:
                // Other numbers, dates, foreign collections: as the data model has them (only the cases above remain).
                Write(ref writer, DataTree.Normalize(value), depth);
                break;
        }
    }

    private static object? Read(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new WireFormatException($"data nested deeper than {MaxDepth}");
        }
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? DataTree.Normalize(reader.ReadUInt64()) : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return Convert.ToBase64String(reader.ReadBytes()!.Value.ToArray());
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                var list = new List<object?>(Math.Min(count, 1024));
                for (var i = 0; i < count; i++)
                {
                    list.Add(Read(ref reader, depth + 1));
                }
                return list;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(Math.Min(entries, 1024), StringComparer.Ordinal);
                for (var i = 0; i < entries; i++)
                {
                    var key = DataTree.KeyToString(Read(ref reader, depth + 1));
                    map[key] = Read(ref reader, depth + 1);
                }
                return map;
            default:
                throw new WireFormatException($"unsupported MessagePack type {reader.NextMessagePackType}");
        }
    }
}

using System.Buffers;
using System.Text;
using MessagePack;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>
/// Random MessagePack: well-formed trees of every type (all integer widths, floats, str/bin/ext, nested arrays and maps with
/// keys of any type), deep nesting, and headers that declare far more data than follows.
/// </summary>
public static class MessagePackGenerator
{
    private static readonly long[] _interestingIntegers =
    [
        0, 1, -1, 127, 128, 255, 256, -32, -33, 32767, 65535, 65536, int.MaxValue, int.MinValue, uint.MaxValue,
        long.MaxValue, long.MinValue, 1_700_000_000_000, 12, 9,
    ];

    /// <summary>One random value as a complete MessagePack document.</summary>
    public static byte[] Value(Random random, int maxDepth = 6)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteValue(ref writer, random, maxDepth);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An array of <paramref name="slots"/> values, the shape of a <c>[MessagePackObject]</c> with integer keys.</summary>
    public static byte[] Shaped(Random random, int slots, Func<int, byte[]?>? slot = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        var count = random.Next(8) == 0 ? random.Next(slots + 3) : slots;
        writer.WriteArrayHeader(count);
        for (var i = 0; i < count; i++)
        {
            if (slot?.Invoke(i) is { } raw)
            {
                writer.WriteRaw(raw);
            }
            else
            {
                WriteValue(ref writer, random, 4);
            }
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one value (with children up to <paramref name="depth"/> levels).</summary>
    public static void WriteValue(ref MessagePackWriter writer, Random random, int depth)
    {
        switch (random.Next(depth > 0 ? 17 : 9))
        {
            case 0: writer.WriteNil(); break;
            case 1: writer.Write(random.Next(2) == 0); break;
            case 2: writer.Write(_interestingIntegers[random.Next(_interestingIntegers.Length)] + random.Next(-2, 3)); break;
            case 3: writer.Write(ulong.MaxValue - (ulong)random.Next(3)); break;
            case 4: writer.Write(random.Next(3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => random.NextDouble() * 1e300 }); break;
            case 5: writer.Write(RandomText(random)); break;
            case 6: writer.Write(RandomBytes(random, random.Next(0, 40))); break;
            case 7: WriteExtension(ref writer, random); break;
            case 8: WriteLyingHeader(ref writer, random); break;
            case 9:
            case 10:
            case 11:
                var items = random.Next(0, 6);
                writer.WriteArrayHeader(items);
                for (var i = 0; i < items; i++)
                {
                    WriteValue(ref writer, random, depth - 1);
                }
                break;
            case 12:
            case 13:
            case 14:
                var pairs = random.Next(0, 5);
                writer.WriteMapHeader(pairs);
                for (var i = 0; i < pairs; i++)
                {
                    if (random.Next(3) == 0)
                    {
                        WriteValue(ref writer, random, depth - 1);
                    }
                    else
                    {
                        writer.Write(random.Next(4) == 0 ? "k" : "k" + random.Next(100));
                    }
                    WriteValue(ref writer, random, depth - 1);
                }
                break;
            case 15:
                // Deeper than the untrusted-data depth limit (500), as arrays or maps.
                var levels = random.Next(100, 3000);
                var asMaps = random.Next(2) == 0;
                for (var i = 0; i < levels; i++)
                {
                    if (asMaps)
                    {
                        writer.WriteMapHeader(1);
                        writer.Write("k");
                    }
                    else
                    {
                        writer.WriteArrayHeader(1);
                    }
                }
                writer.WriteNil();
                break;
            default:
                writer.Write(random.Next(2) == 0 ? (float)random.NextDouble() : float.NaN);
                break;
        }
    }

    private static void WriteExtension(ref MessagePackWriter writer, Random random)
    {
        // -1 is the timestamp extension (lengths 4, 8 and 12 are valid); others are unknown to the resolver.
        var type = random.Next(3) == 0 ? (sbyte)random.Next(-128, 128) : (sbyte)-1;
        var length = random.Next(3) == 0 ? random.Next(0, 20) : new[] { 4, 8, 12 }[random.Next(3)];
        writer.WriteExtensionFormatHeader(new ExtensionHeader(type, (uint)length));
        writer.WriteRaw(RandomBytes(random, length));
    }

    private static void WriteLyingHeader(ref MessagePackWriter writer, Random random)
    {
        // Raw 32-bit headers (array32, map32, str32, bin32, ext32): the writer refuses to declare more than it could write.
        var count = random.Next(3) switch { 0 => int.MaxValue, 1 => 0x1000_0000, _ => random.Next(1000, 1_000_000) };
        var marker = new byte[] { 0xdd, 0xdf, 0xdb, 0xc6, 0xc9 }[random.Next(5)];
        var header = new byte[marker == 0xc9 ? 6 : 5];
        header[0] = marker;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), count);
        if (marker == 0xc9)
        {
            header[5] = 0xff;
        }
        writer.WriteRaw(header);
        writer.WriteRaw(RandomBytes(random, random.Next(0, 8)));
    }

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        var length = random.Next(0, 24);
        for (var i = 0; i < length; i++)
        {
            sb.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0xD800, 0xE000), // lone surrogates
                2 => (char)random.Next(0x80, 0x800),
                _ => (char)random.Next(32, 127),
            });
        }
        return sb.ToString();
    }

    /// <summary>Random bytes.</summary>
    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}

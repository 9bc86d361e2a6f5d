using System.Buffers.Binary;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>AFL-style mutations of a valid byte sequence: bit flips, interesting bytes, inserts, deletes, splices, truncation.</summary>
public static class ByteMutator
{
    // MessagePack markers that change the meaning of what follows: str/bin/ext/array/map headers of every width.
    private static readonly byte[] _interesting =
    [
        0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb,
        0xcc, 0xcf, 0xd0, 0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    /// <summary>One to five mutations of <paramref name="seed"/>.</summary>
    public static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var rounds = random.Next(1, 6);
        for (var round = 0; round < rounds; round++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = _interesting[random.Next(_interesting.Length)];
                    break;
                case 2:
                    bytes.InsertRange(at, MessagePackGenerator.RandomBytes(random, random.Next(1, 9)));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 17)));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 33));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 6 when bytes.Count >= 4:
                    var span = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(span, random.Next(3) switch { 0 => uint.MaxValue, 1 => int.MaxValue, _ => (uint)random.Next() });
                    for (var i = 0; i < 4 && at + i < bytes.Count; i++)
                    {
                        bytes[at + i] = span[i];
                    }
                    break;
                default:
                    bytes.Insert(at, _interesting[random.Next(_interesting.Length)]);
                    break;
            }
        }
        return [.. bytes];
    }
}

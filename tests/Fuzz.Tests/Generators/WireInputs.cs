using FsCheck;
using FsCheck.Fluent;
using MessagePack;
using Orchestrator.Fuzz.Tests.Harness;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>Frames for the decoders: random bytes, random MessagePack, envelope-shaped arrays and mutated valid frames.</summary>
public static class WireInputs
{
    /// <summary>Every message body type of the protocol (the <c>[MessagePackObject]</c> classes in Protocol.Messages).</summary>
    public static readonly Type[] MessageTypes = typeof(AuthHello).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(AuthHello).Namespace && t.IsDefined(typeof(MessagePackObjectAttribute), false))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Any of the input families, from one generated seed each (so FsCheck's replay seed fixes the whole input).</summary>
    public static Gen<BytesInput> Frames() =>
        Gen.Choose(0, int.MaxValue).Select(seed => new BytesInput(Frame(new Random(seed))));

    private static byte[] Frame(Random random) => random.Next(6) switch
    {
        0 => MessagePackGenerator.RandomBytes(random, random.Next(0, 200)),
        1 => MessagePackGenerator.Value(random),
        2 => EnvelopeShaped(random),
        3 => MessagePackGenerator.Shaped(random, random.Next(1, 10)),
        4 => ByteMutator.Mutate(ValidBody(random), random),
        _ => ByteMutator.Mutate(ValidEnvelope(random), random),
    };

    /// <summary>A serialized envelope that decodes, with a valid body of a random message type.</summary>
    public static byte[] ValidEnvelope(Random random) => WireCodec.Serialize(new Envelope
    {
        Kind = (MessageType)random.Next(0, 70),
        SenderId = "minion-" + random.Next(100),
        Timestamp = 1_700_000_000_000 + random.Next(),
        Nonce = MessagePackGenerator.RandomBytes(random, 12),
        Body = random.Next(2) == 0 ? ValidBody(random) : MessagePackGenerator.RandomBytes(random, random.Next(0, 64)),
        Signature = random.Next(2) == 0 ? null : MessagePackGenerator.RandomBytes(random, random.Next(0, 64)),
        KeyGeneration = random.Next(3),
        ReplyTo = random.Next(2) == 0 ? null : MessagePackGenerator.RandomBytes(random, 12),
    });

    /// <summary>A serialized message body of a random type, its data fields filled with random trees.</summary>
    public static byte[] ValidBody(Random random)
    {
        var type = MessageTypes[random.Next(MessageTypes.Length)];
        return MessagePackGenerator.Shaped(random, type.GetProperties().Length, slot =>
        {
            var property = type.GetProperties().FirstOrDefault(p => p.GetCustomAttributes(typeof(KeyAttribute), false)
                .OfType<KeyAttribute>().Any(k => k.IntKey == slot));
            if (property is null || random.Next(5) == 0)
            {
                return null;
            }
            object? value = property.PropertyType switch
            {
                var t when t == typeof(string) => "x" + random.Next(),
                var t when t == typeof(byte[]) => MessagePackGenerator.RandomBytes(random, random.Next(0, 32)),
                var t when t == typeof(int) => random.Next(),
                var t when t == typeof(long) => (long)random.Next(),
                var t when t == typeof(bool) => random.Next(2) == 0,
                var t when t == typeof(double) => random.NextDouble(),
                _ => null,
            };
            return value is null ? MessagePackGenerator.Value(random) : MessagePackSerializer.Serialize(property.PropertyType, value, WireCodec.Options);
        });
    }

    private static byte[] EnvelopeShaped(Random random) => MessagePackGenerator.Shaped(random, 9, slot => random.Next(4) == 0 ? null : slot switch
    {
        0 => MessagePackSerializer.Serialize(random.Next(4) == 0 ? random.Next(-2, 3) : 1),
        1 => MessagePackSerializer.Serialize(random.Next(0, 300)),
        2 => MessagePackSerializer.Serialize("m" + random.Next(10)),
        3 => MessagePackSerializer.Serialize((long)random.Next()),
        4 => MessagePackSerializer.Serialize(MessagePackGenerator.RandomBytes(random, random.Next(3) == 0 ? random.Next(0, 20) : 12)),
        5 => MessagePackSerializer.Serialize(random.Next(2) == 0 ? ValidBody(random) : MessagePackGenerator.RandomBytes(random, 20)),
        8 => MessagePackSerializer.Serialize(MessagePackGenerator.RandomBytes(random, random.Next(0, 300))),
        _ => null,
    });
}

using MessagePack;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Protocol;

/// <summary>MessagePack encoding of envelopes and message bodies, with size limits and no exceptions escaping on bad input.</summary>
public static class WireCodec
{
    /// <summary>Serializer options: the wire's own resolver (no code made at run time), untrusted-data security (depth limit).</summary>
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(WireResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Serializes any message or envelope.</summary>
    public static byte[] Serialize<T>(T value) => MessagePackSerializer.Serialize(value, Options);

    /// <summary>Deserializes; throws <see cref="WireFormatException"/> on malformed input.</summary>
    public static T Deserialize<T>(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return MessagePackSerializer.Deserialize<T>(bytes, Options)
                ?? throw new WireFormatException($"empty {typeof(T).Name}");
        }
        catch (MessagePackSerializationException e)
        {
            throw new WireFormatException($"malformed {typeof(T).Name}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>Decodes an envelope frame, refusing oversized frames, malformed data and other versions.</summary>
    public static bool TryDecodeEnvelope(byte[] frame, int maxSize, out Envelope envelope, out string error)
    {
        envelope = null!;
        if (frame.Length > maxSize)
        {
            error = $"frame of {frame.Length} bytes exceeds the limit of {maxSize}";
            return false;
        }
        try
        {
            envelope = Deserialize<Envelope>(frame);
        }
        catch (WireFormatException e)
        {
            error = e.Message;
            return false;
        }
        if (envelope.Version != Envelope.CurrentVersion)
        {
            error = $"envelope version {envelope.Version} refused (this build speaks {Envelope.CurrentVersion})";
            return false;
        }
        // Nil fields decode as null; the authenticated header stores the reply-to length in one byte.
        if (envelope.Nonce is not { Length: 12 } || string.IsNullOrEmpty(envelope.SenderId) || envelope.Body is null
            || envelope.ReplyTo is { Length: > byte.MaxValue })
        {
            error = "envelope header incomplete";
            return false;
        }
        error = string.Empty;
        return true;
    }

    /// <summary>Normalizes a value that went through MessagePack as <c>object</c> back into the canonical data model.</summary>
    public static object? ToData(object? value) => DataTree.Normalize(value);

    /// <summary>Normalizes a mapping that went through MessagePack as <c>object</c>.</summary>
    public static Dictionary<string, object?> ToMap(object? value) =>
        DataTree.Normalize(value) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Normalizes a list that went through MessagePack as <c>object</c>.</summary>
    public static List<object?> ToList(object? value) => DataTree.Normalize(value) as List<object?> ?? [];
}

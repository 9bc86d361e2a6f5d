using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Protocol;

/// <summary>
/// The formatters of the wire, none made at run time: for every <c>[MessagePackObject]</c> type one written at compile time
/// by <c>Orchestrator.Generators</c> (the generated half of this class), for data trees (<c>object</c>, mappings of text to
/// data, lists of data) <see cref="DataTreePack"/>, for primitives MessagePack's built-in ones. MessagePack 2.5's standard
/// resolver emits code instead, which a natively compiled minion cannot run.
/// </summary>
/// <remarks>
/// The generated formatters lay a message out as the dynamic resolver did (an array indexed by key, nil in the gaps, extra
/// trailing keys skipped on read), so peers built either way read each other; a test checks every type byte for byte.
/// </remarks>
public sealed partial class WireResolver : IFormatterResolver
{
    /// <summary>The one instance (the resolver has no state).</summary>
    public static readonly WireResolver Instance = new();

    private WireResolver()
    {
    }

    /// <inheritdoc />
    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    /// <summary>True when <paramref name="type"/> has a formatter written at compile time.</summary>
    public static bool IsGenerated(Type type) => CreateGeneratedFormatter(type) is not null;

    private static partial object? CreateGeneratedFormatter(Type type);

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter =
            CreateGeneratedFormatter(typeof(T)) as IMessagePackFormatter<T>
            ?? (typeof(T) == typeof(object) || typeof(T) == typeof(Dictionary<string, object?>) || typeof(T) == typeof(List<object?>)
                ? new DataTreeFormatter<T>()
                : BuiltinResolver.Instance.GetFormatter<T>());
    }

    private sealed class DataTreeFormatter<T> : IMessagePackFormatter<T>
    {
        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
            DataTreePack.Write(ref writer, value);

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            WireValues.ReadTree<T>(ref reader, typeof(T).Name)!;
    }
}

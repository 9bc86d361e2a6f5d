using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestrator.Shared.Rendering;

/// <summary>
/// Loads YAML text into the canonical data model (<see cref="DataTree"/>) with the scalar rules Salt's YAML loader applies.
/// </summary>
/// <remarks>
/// Mappings keep the order they are written in; a key repeated in one mapping is an error (Salt: "found conflicting ID");
/// quoted scalars always stay strings; <c>&lt;&lt;</c> merge keys, anchors and aliases work. Every error names the file, line
/// and column (1-based).
/// </remarks>
public static class YamlLoader
{
    /// <summary>
    /// Deepest nesting of collections accepted. Reading recurses per level, so a document of thousands of <c>[</c> would
    /// overflow the stack and end the process; deeper data could not cross the wire either (MessagePack's untrusted-data
    /// limit is 500 levels).
    /// </summary>
    public const int MaxDepth = 400;

    /// <summary>
    /// Most nodes that aliases may add to a document when it is expanded. Aliases share the anchored value, so loading costs
    /// nothing, but every serializer copies it out: ten levels of ten aliases each (a "billion laughs" file of a few hundred
    /// bytes) would become 10^10 nodes in the pillar sent to a minion.
    /// </summary>
    public const long MaxAliasedNodes = 1_000_000;


    /// <summary>Loads a single YAML document; an empty document is <c>null</c>.</summary>
    /// <exception cref="YamlLoadException">The text is not valid YAML or has a duplicate key.</exception>
    public static object? Load(string text, string? path = null)
    {
        try
        {
            return new Reader(text, path).ReadStream();
        }
        catch (YamlLoadException original) when (FlowIndentation.Normalize(text) is { } reindented)
        {
            // Flow collections continued at any indentation, as PyYAML reads (and writes) them; see FlowIndentation. When
            // that is not what was wrong, the error about the text as written stands.
            try
            {
                return new Reader(reindented, path).ReadStream();
            }
            catch (YamlLoadException)
            {
                throw original;
            }
        }
    }

    private sealed class Reader(string text, string? path)
    {
        private readonly IParser _parser = new Parser(new StringReader(text));
        private readonly Dictionary<string, object?> _anchors = new(StringComparer.Ordinal);

        // Anchors of the collections being read: an alias to one of them would make the value contain itself, a cycle
        // that every consumer (JSON, MessagePack, the state compiler) would recurse into forever.
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _anchorStarts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
        private int _depth;

        // Nodes read so far counting each alias as a copy of its anchor's node, and the part of that added by aliases.
        private long _expanded;
        private long _aliased;

        public object? ReadStream()
        {
            try
            {
                Expect<StreamStart>();
                MoveNext();
                if (_parser.Current is StreamEnd)
                {
                    return null;
                }
                if (_parser.Current is not DocumentStart)
                {
                    throw Error("expected the start of a document", _parser.Current!.Start);
                }
                var value = ReadNode();
                Expect<DocumentEnd>();
                MoveNext();
                if (_parser.Current is DocumentStart extra)
                {
                    throw Error("expected a single document in the stream, but found another document", extra.Start);
                }
                return value;
            }
            catch (YamlException e)
            {
                throw new YamlLoadException(e.Message, path, e.Start.Line, e.Start.Column, e);
            }
        }

        private YamlLoadException Error(string problem, Mark mark) => new(problem, path, mark.Line, mark.Column);

        // YamlDotNet throws InvalidOperationException ("- {a\n-") or ArgumentException (a tag that is no URI, "!!+'") on
        // some malformed text instead of a YamlException; it is reported at the end of the last event read.
        private bool MoveNext()
        {
            var last = _parser.Current?.End ?? Mark.Empty;
            try
            {
                return _parser.MoveNext();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                throw new YamlLoadException(
                    $"malformed YAML after this point ({e.Message})", path, Math.Max(last.Line, 1), Math.Max(last.Column, 1), e);
            }
        }

        private T Expect<T>()
            where T : ParsingEvent
        {
            if (!MoveNext() && _parser.Current is null)
            {
                throw new YamlLoadException($"unexpected end of stream, expected {typeof(T).Name}", path, 0, 0);
            }
            if (_parser.Current is T current)
            {
                return current;
            }
            var actual = _parser.Current!;
            throw Error($"expected {typeof(T).Name} but found {actual.GetType().Name}", actual.Start);
        }

        // Reads the node that starts at the next event.
        private object? ReadNode()
        {
            MoveNext();
            return ReadCurrent();
        }

        private object? ReadCurrent()
        {
            var current = _parser.Current ?? throw new YamlLoadException("unexpected end of stream", path, 0, 0);
            switch (current)
            {
                case AnchorAlias alias:
                    if (_open.Contains(alias.Value.Value))
                    {
                        throw Error($"found recursive alias '{alias.Value.Value}': a node cannot contain itself", alias.Start);
                    }
                    if (!_anchors.TryGetValue(alias.Value.Value, out var aliased))
                    {
                        throw Error($"found undefined alias '{alias.Value.Value}'", alias.Start);
                    }
                    var size = _anchorSizes[alias.Value.Value];
                    _expanded += size;
                    if ((_aliased += size) > MaxAliasedNodes)
                    {
                        throw Error($"aliases expand the document by more than {MaxAliasedNodes} nodes", alias.Start);
                    }
                    return aliased;
                case Scalar scalar:
                    _expanded++;
                    var value = ResolveScalar(scalar);
                    Remember(scalar.Anchor, value);
                    return value;
                case SequenceStart sequence:
                    Descend(sequence);
                    var list = new List<object?>();
                    Open(sequence.Anchor);
                    while (true)
                    {
                        MoveNext();
                        if (_parser.Current is SequenceEnd)
                        {
                            break;
                        }
                        list.Add(ReadCurrent());
                    }
                    Remember(sequence.Anchor, list);
                    _depth--;
                    return list;
                case MappingStart mapping:
                    Descend(mapping);
                    var map = ReadMapping(mapping);
                    _depth--;
                    return map;
                default:
                    throw Error($"unexpected {current.GetType().Name}", current.Start);
            }
        }

        private Dictionary<string, object?> ReadMapping(MappingStart mapping)
        {
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            Open(mapping.Anchor);
            var merged = new List<Dictionary<string, object?>>();
            var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                MoveNext();
                if (_parser.Current is MappingEnd)
                {
                    break;
                }
                var keyEvent = _parser.Current!;
                if (keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain })
                {
                    var source = ReadNode();
                    switch (source)
                    {
                        case Dictionary<string, object?> single:
                            merged.Add(single);
                            break;
                        case List<object?> many:
                            merged.AddRange(many.OfType<Dictionary<string, object?>>());
                            break;
                        default:
                            throw Error("expected a mapping or list of mappings for merging", keyEvent.Start);
                    }
                    continue;
                }
                var keyValue = ReadCurrent();
                if (keyValue is Dictionary<string, object?> or List<object?>)
                {
                    throw Error("found unhashable key", keyEvent.Start);
                }
                var key = DataTree.KeyToString(keyValue);
                if (!explicitKeys.Add(key))
                {
                    // Salt's loader (SaltYamlSafeLoader) reports the mapping and the repeated key, as PyYAML lays it out.
                    throw YamlLoadException.WithContext(
                        "while constructing a mapping", mapping.Start.Line, mapping.Start.Column,
                        $"found conflicting ID '{key}'", path, keyEvent.Start.Line, keyEvent.Start.Column);
                }
                dict[key] = ReadNode();
            }
            if (merged.Count == 0)
            {
                Remember(mapping.Anchor, dict);
                return dict;
            }
            // Merged keys come first (as PyYAML orders them) and never override explicit ones.
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var source in merged)
            {
                foreach (var (key, value) in source)
                {
                    if (!explicitKeys.Contains(key))
                    {
                        result.TryAdd(key, value);
                    }
                }
            }
            foreach (var (key, value) in dict)
            {
                result[key] = value;
            }
            Remember(mapping.Anchor, result);
            return result;
        }

        private void Descend(ParsingEvent collection)
        {
            _expanded++;
            if (++_depth > MaxDepth)
            {
                throw Error($"collections nested deeper than {MaxDepth} levels", collection.Start);
            }
        }

        private void Open(AnchorName anchor)
        {
            if (!anchor.IsEmpty)
            {
                _open.Add(anchor.Value);
                _anchorStarts[anchor.Value] = _expanded;
            }
        }

        private void Remember(AnchorName anchor, object? value)
        {
            if (!anchor.IsEmpty)
            {
                // A scalar is one node; a collection is itself (counted before its Open) and what was read since.
                _anchorSizes[anchor.Value] = _open.Remove(anchor.Value) ? _expanded - _anchorStarts[anchor.Value] + 1 : 1;
                _anchors[anchor.Value] = value;
            }
        }

        private object? ResolveScalar(Scalar scalar)
        {
            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            try
            {
                if (tag is null || tag == "!")
                {
                    return scalar.Style == ScalarStyle.Plain && tag is null ? YamlScalarResolver.ResolvePlain(scalar.Value) : scalar.Value;
                }
                return tag switch
                {
                    "tag:yaml.org,2002:str" => scalar.Value,
                    "tag:yaml.org,2002:int" => YamlScalarResolver.ParseInt(scalar.Value),
                    "tag:yaml.org,2002:float" => YamlScalarResolver.ParseFloat(scalar.Value),
                    "tag:yaml.org,2002:bool" => YamlScalarResolver.ResolvePlain(scalar.Value) as bool?
                        ?? throw Error($"invalid boolean '{scalar.Value}'", scalar.Start),
                    "tag:yaml.org,2002:null" => null,
                    "tag:yaml.org,2002:timestamp" => scalar.Value,
                    _ => throw Error($"could not determine a constructor for the tag '{tag}'", scalar.Start),
                };
            }
            catch (FormatException)
            {
                throw Error(tag is null ? $"invalid number '{scalar.Value}'" : $"invalid value '{scalar.Value}' for tag '{tag}'", scalar.Start);
            }
        }
    }
}

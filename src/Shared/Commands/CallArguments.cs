using System.Globalization;
using Orchestrator.Shared.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Shared.Commands;

/// <summary>
/// Splits the words after a function name into positional args and <c>key=value</c> kwargs, typing each value the way
/// Salt's <c>yamlify_arg</c> does: <c>1</c> is an int, <c>true</c> a bool, <c>[a, b]</c> a list, <c>{a: 1}</c> a dict.
/// </summary>
public sealed record CallArguments(List<object?> Args, Dictionary<string, object?> Kwargs)
{
    /// <summary>Parses command-line words.</summary>
    public static CallArguments Parse(IEnumerable<string> words)
    {
        var args = new List<object?>();
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            // key=value only when the key looks like an identifier; "a=b c" in a shell command stays positional.
            if (eq > 0 && word[..eq].All(c => char.IsLetterOrDigit(c) || c == '_') && !char.IsDigit(word[0]))
            {
                kwargs[word[..eq]] = Typed(word[(eq + 1)..]);
            }
            else
            {
                args.Add(Typed(word));
            }
        }
        return new CallArguments(args, kwargs);
    }

    /// <summary>Types one value as YAML would, keeping it a string when it is not clearly something else.</summary>
    public static object? Typed(string text)
    {
        switch (text)
        {
            case "true" or "True":
                return true;
            case "false" or "False":
                return false;
            case "None" or "null":
                return null;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && !(text.Length > 1 && text[0] == '0'))
        {
            return l;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Contains('.') && !text.EndsWith('.'))
        {
            return d;
        }
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                return Convert(stream.Documents[0].RootNode);
            }
            catch (YamlException)
            {
                return text;
            }
        }
        return text;
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMap(map),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } quoted => quoted.Value,
        YamlScalarNode scalar => Typed(scalar.Value ?? string.Empty),
        _ => null,
    };

    private static Dictionary<string, object?> ConvertMap(YamlMappingNode map)
    {
        // Keys that differ in YAML ({true: a, True: b} or {1: a, 1.0: b}) can be equal once stringified: the later one wins
        // instead of an exception escaping the argument parser.
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            result[DataTree.KeyToString(Convert(key))] = Convert(value);
        }
        return result;
    }
}

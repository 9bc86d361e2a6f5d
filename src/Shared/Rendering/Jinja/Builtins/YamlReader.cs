using System.Globalization;
using Orchestrator.Shared.Output;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Loads YAML into the data model with PyYAML's YAML 1.1 scalar rules (yes/no booleans, 0755 octal, ~ null).</summary>
internal static class YamlReader
{
    public static object? Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new JinjaException(JinjaErrorKind.TemplateRuntime, "Encountered error loading yaml: " + ex.Message);
        }
        if (stream.Documents.Count == 0)
        {
            return null;
        }
        return Convert(stream.Documents[0].RootNode);
    }

    private static object? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in map.Children)
                {
                    var key = Convert(pair.Key);
                    dict[key as string ?? Data.DataTree.KeyToString(key)] = Convert(pair.Value);
                }
                return dict;
            case YamlSequenceNode seq:
                return seq.Children.Select(Convert).ToList();
            case YamlScalarNode scalar:
                var value = scalar.Value ?? string.Empty;
                if (scalar.Style != ScalarStyle.Plain)
                {
                    return value;
                }
                var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
                if (tag is not null && tag != "?")
                {
                    return tag.EndsWith(":str", StringComparison.Ordinal) ? value : Resolve(value);
                }
                return Resolve(value);
            default:
                return null;
        }
    }

    public static object? Resolve(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON": return true;
            case "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        var c = s[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return s;
        }
        if (PyYamlScalars.ResolvesToString(s, legacyDotFloat: true))
        {
            return s;
        }
        var t = s.Replace("_", string.Empty, StringComparison.Ordinal);
        var sign = 1;
        if (t.StartsWith('-'))
        {
            sign = -1;
            t = t[1..];
        }
        else if (t.StartsWith('+'))
        {
            t = t[1..];
        }
        try
        {
            if (t.Contains(':'))
            {
                double total = 0;
                foreach (var part in t.Split(':'))
                {
                    total = (total * 60) + double.Parse(part, CultureInfo.InvariantCulture);
                }
                return t.Contains('.') ? sign * total : (object)(long)(sign * total);
            }
            if (t.StartsWith("0b", StringComparison.Ordinal))
            {
                return sign * System.Convert.ToInt64(t[2..], 2);
            }
            if (t.StartsWith("0x", StringComparison.Ordinal))
            {
                return sign * System.Convert.ToInt64(t[2..], 16);
            }
            if (t.Length > 1 && t[0] == '0' && t.All(char.IsAsciiDigit))
            {
                return sign * System.Convert.ToInt64(t, 8);
            }
            if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
            {
                return sign * l;
            }
            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return sign * d;
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
        }
        return s;
    }
}

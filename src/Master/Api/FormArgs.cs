using Orchestrator.Shared.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Master.Api;

/// <summary>
/// Salt's <c>yamlify_arg</c> for form-encoded <c>arg</c> and <c>kwarg</c> values (JSON and YAML bodies are typed already): a
/// value becomes what YAML makes of it only when that is unambiguous, and stays the text it was otherwise.
/// </summary>
public static class FormArgs
{
    public static object? Yamlify(string text)
    {
        var stripped = text.Trim();
        if (stripped is "" or "---" or "..."
            || (text.Contains('_') && stripped.All(c => char.IsAsciiDigit(c) || c == '_'))
            || text.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
        {
            return text;
        }
        object? value;
        try
        {
            // Python refuses a mapping or list as a mapping key (unhashable): Salt then keeps the text, as "{{ 7*7 }}" does.
            // Aliases and deep nesting stay text too: they are not loaded at all (UntrustedYaml).
            if (UntrustedYaml.Problem(text) is not null || !HasOnlyScalarKeys(text))
            {
                return text;
            }
            value = text == "None" ? null : PyYaml.Load(text);
        }
        catch (Exception e) when (e is YamlException or Shared.Rendering.Jinja.JinjaException)
        {
            return text;
        }
        if (text.Contains('#'))
        {
            return value is string or null ? text : value;
        }
        return value switch
        {
            Dictionary<string, object?> => text.StartsWith('{') ? value : text,
            List<object?> => text.StartsWith('[') ? value : text,
            "" when text is "|" or "!" => text,
            null when stripped.StartsWith('#') || text == "!" => text,
            null or bool or long or double or string => value,
            _ => text,
        };
    }

    private static bool HasOnlyScalarKeys(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 || ScalarKeys(stream.Documents[0].RootNode);
    }

    private static bool ScalarKeys(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.All(p => p.Key is YamlScalarNode && ScalarKeys(p.Value)),
        YamlSequenceNode seq => seq.Children.All(ScalarKeys),
        _ => true,
    };
}

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Orchestrator.Master.Api;

/// <summary>
/// What must be refused in YAML from a request before it is loaded into data: aliases (a small body with nested ones
/// becomes gigabytes once repeated, the "billion laughs") and deep nesting (the loaders recurse, and a stack overflow
/// would end the master; JSON bodies have the same cap). Walks the parser's events without building anything.
/// </summary>
public static class UntrustedYaml
{
    /// <summary>Deepest nesting of mappings and sequences accepted, as for JSON bodies.</summary>
    public const int MaxDepth = 64;

    /// <summary>Why the text must not be loaded, or null when it may.</summary>
    public static string? Problem(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias:
                        return "aliases (*name) are not accepted";
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return $"nested deeper than {MaxDepth}";
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
            return null;
        }
        catch (YamlException)
        {
            return "not valid YAML";
        }
    }
}

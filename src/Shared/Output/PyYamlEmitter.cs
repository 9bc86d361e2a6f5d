using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Output;

/// <summary>A block-style YAML emitter that reproduces PyYAML's <c>Emitter</c> output for the canonical data model.</summary>
/// <remarks>The state (column, whitespace, indention, indent stack) and the scalar-style rules mirror PyYAML's, so the
/// text is byte-for-byte what Salt prints for the same data.</remarks>
internal sealed partial class PyYamlEmitter
{
    private const int BestWidth = 80;

    private readonly StringBuilder _out = new();
    private readonly Stack<int?> _indents = new();
    private readonly int _bestIndent;
    private int? _indent;
    private int _column;
    private bool _whitespace = true;
    private bool _indention = true;
    private bool _openEnded;
    private bool _rootContext;
    private bool _mappingContext;
    private bool _simpleKeyContext;

    private PyYamlEmitter(int bestIndent) => _bestIndent = bestIndent;

    public static string Dump(object? data, int indent = 2)
    {
        var emitter = new PyYamlEmitter(indent);
        emitter.EmitNode(data, root: true, mapping: false, simpleKey: false);
        emitter.WriteIndent();
        if (emitter._openEnded)
        {
            emitter.WriteIndicator("...", needWhitespace: true);
            emitter.WriteIndent();
        }
        return emitter._out.ToString();
    }

    private void EmitNode(object? node, bool root, bool mapping, bool simpleKey)
    {
        _rootContext = root;
        _mappingContext = mapping;
        _simpleKeyContext = simpleKey;
        switch (node)
        {
            case IReadOnlyDictionary<string, object?> { Count: 0 }:
                EmitEmptyFlow("{", "}");
                break;
            case IReadOnlyList<object?> { Count: 0 }:
                EmitEmptyFlow("[", "]");
                break;
            case IReadOnlyDictionary<string, object?> map:
                EmitBlockMapping(map);
                break;
            case IReadOnlyList<object?> list:
                EmitBlockSequence(list);
                break;
            default:
                EmitScalar(node);
                break;
        }
    }

    private void EmitEmptyFlow(string open, string close)
    {
        WriteIndicator(open, needWhitespace: true, whitespace: true);
        IncreaseIndent(flow: true);
        _indent = _indents.Pop();
        WriteIndicator(close, needWhitespace: false);
    }

    private void EmitBlockSequence(IReadOnlyList<object?> list)
    {
        IncreaseIndent(flow: false, indentless: _mappingContext && !_indention);
        foreach (var item in list)
        {
            WriteIndent();
            WriteIndicator("-", needWhitespace: true, indention: true);
            EmitNode(item, root: false, mapping: false, simpleKey: false);
        }
        _indent = _indents.Pop();
    }

    private void EmitBlockMapping(IReadOnlyDictionary<string, object?> map)
    {
        IncreaseIndent(flow: false);
        foreach (var key in PyFormat.OrderKeys(map.Keys, sort: true))
        {
            WriteIndent();
            var analysis = Analyze(key);
            // PyYAML counts the key's prepared tag ("!!str") towards its 128-character simple-key limit.
            if (key.Length + 5 < 128 && !analysis.Empty && !analysis.Multiline)
            {
                EmitNode(key, root: false, mapping: true, simpleKey: true);
                WriteIndicator(":", needWhitespace: false);
            }
            else
            {
                WriteIndicator("?", needWhitespace: true, indention: true);
                EmitNode(key, root: false, mapping: true, simpleKey: false);
                WriteIndent();
                WriteIndicator(":", needWhitespace: true, indention: true);
            }
            EmitNode(map[key], root: false, mapping: true, simpleKey: false);
        }
        _indent = _indents.Pop();
    }

    private void EmitScalar(object? value)
    {
        IncreaseIndent(flow: true);
        switch (value)
        {
            case string s:
                WriteString(s);
                break;
            default:
                WritePlain(ScalarText(value), split: !_simpleKeyContext);
                break;
        }
        _indent = _indents.Pop();
    }

    private static string ScalarText(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatText(d),
        _ => PyFormat.Str(value),
    };

    private static string FloatText(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }
        var text = PyFormat.FloatRepr(d).ToLowerInvariant();
        if (!text.Contains('.') && text.Contains('e'))
        {
            var e = text.IndexOf('e');
            text = text[..e] + ".0" + text[e..];
        }
        return text;
    }

    private void WriteString(string value)
    {
        var analysis = Analyze(value);
        var split = !_simpleKeyContext;
        if (ResolvesToString(value)
            && !(_simpleKeyContext && (analysis.Empty || analysis.Multiline))
            && analysis.AllowBlockPlain)
        {
            WritePlain(value, split);
        }
        else if (analysis.AllowSingleQuoted && !(_simpleKeyContext && analysis.Multiline))
        {
            WriteSingleQuoted(value, split);
        }
        else
        {
            WriteDoubleQuoted(value, split);
        }
    }

    private void IncreaseIndent(bool flow, bool indentless = false)
    {
        _indents.Push(_indent);
        if (_indent is null)
        {
            _indent = flow ? _bestIndent : 0;
        }
        else if (!indentless)
        {
            _indent += _bestIndent;
        }
    }

    private void Write(string data)
    {
        _out.Append(data);
        // Columns count code points, as in Python.
        foreach (var c in data)
        {
            if (!char.IsLowSurrogate(c))
            {
                _column++;
            }
        }
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool whitespace = false, bool indention = false)
    {
        Write(_whitespace || !needWhitespace ? indicator : " " + indicator);
        _whitespace = whitespace;
        _indention = _indention && indention;
        _openEnded = false;
    }

    private void WriteIndent()
    {
        var indent = _indent ?? 0;
        if (!_indention || _column > indent || (_column == indent && !_whitespace))
        {
            WriteLineBreak();
        }
        if (_column < indent)
        {
            _whitespace = true;
            Write(new string(' ', indent - _column));
        }
    }

    private void WriteLineBreak(char data = '\n')
    {
        _out.Append(data);
        _whitespace = true;
        _indention = true;
        _column = 0;
    }

    private static bool IsBreak(char c) => c is '\n' or '\x85' or '\u2028' or '\u2029';

    private void WriteBreaks(string text, int start, int end)
    {
        if (text[start] == '\n')
        {
            WriteLineBreak();
        }
        for (var i = start; i < end; i++)
        {
            WriteLineBreak(text[i]);
        }
        WriteIndent();
    }

    private void WritePlain(string text, bool split)
    {
        if (_rootContext)
        {
            _openEnded = true;
        }
        if (text.Length == 0)
        {
            return;
        }
        if (!_whitespace)
        {
            Write(" ");
        }
        _whitespace = false;
        _indention = false;
        bool spaces = false, breaks = false;
        int start = 0, end = 0;
        while (end <= text.Length)
        {
            char? ch = end < text.Length ? text[end] : null;
            if (spaces)
            {
                if (ch != ' ')
                {
                    if (start + 1 == end && _column > BestWidth && split)
                    {
                        WriteIndent();
                        _whitespace = false;
                        _indention = false;
                    }
                    else
                    {
                        Write(text[start..end]);
                    }
                    start = end;
                }
            }
            else if (breaks)
            {
                if (ch is not { } c || !IsBreak(c))
                {
                    WriteBreaks(text, start, end);
                    _whitespace = false;
                    _indention = false;
                    start = end;
                }
            }
            else if (ch is null || ch == ' ' || IsBreak(ch.Value))
            {
                Write(text[start..end]);
                start = end;
            }
            if (ch is { } next)
            {
                spaces = next == ' ';
                breaks = IsBreak(next);
            }
            end++;
        }
    }

    private void WriteSingleQuoted(string text, bool split)
    {
        WriteIndicator("'", needWhitespace: true);
        bool spaces = false, breaks = false;
        int start = 0, end = 0;
        while (end <= text.Length)
        {
            char? ch = end < text.Length ? text[end] : null;
            if (spaces)
            {
                if (ch != ' ')
                {
                    if (start + 1 == end && _column > BestWidth && split && start != 0 && end != text.Length)
                    {
                        WriteIndent();
                    }
                    else
                    {
                        Write(text[start..end]);
                    }
                    start = end;
                }
            }
            else if (breaks)
            {
                if (ch is not { } c || !IsBreak(c))
                {
                    WriteBreaks(text, start, end);
                    start = end;
                }
            }
            else if (ch is null || ch == ' ' || ch == '\'' || IsBreak(ch.Value))
            {
                if (start < end)
                {
                    Write(text[start..end]);
                    start = end;
                }
            }
            if (ch == '\'')
            {
                Write("''");
                start = end + 1;
            }
            if (ch is { } next)
            {
                spaces = next == ' ';
                breaks = IsBreak(next);
            }
            end++;
        }
        WriteIndicator("'", needWhitespace: false);
    }

    private static string? EscapeReplacement(char c) => c switch
    {
        '\0' => "0",
        '\a' => "a",
        '\b' => "b",
        '\t' => "t",
        '\n' => "n",
        '\v' => "v",
        '\f' => "f",
        '\r' => "r",
        '\e' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\x85' => "N",
        '\xA0' => "_",
        '\u2028' => "L",
        '\u2029' => "P",
        _ => null,
    };

    private void WriteDoubleQuoted(string text, bool split)
    {
        WriteIndicator("\"", needWhitespace: true);
        int start = 0, end = 0;
        while (end <= text.Length)
        {
            char? ch = end < text.Length ? text[end] : null;
            if (ch is null || ch is '"' or '\\' or '\x85' or '\u2028' or '\u2029' or '\uFEFF'
                || !((ch >= '\x20' && ch <= '\x7E') || (ch >= '\xA0' && ch <= '\uD7FF') || (ch >= '\uE000' && ch <= '\uFFFD')))
            {
                if (start < end)
                {
                    Write(text[start..end]);
                    start = end;
                }
                if (ch is { } c)
                {
                    string data;
                    if (EscapeReplacement(c) is { } replacement)
                    {
                        data = "\\" + replacement;
                    }
                    else if (c <= '\xFF')
                    {
                        data = "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture);
                    }
                    else if (char.IsHighSurrogate(c) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]))
                    {
                        data = "\\U" + char.ConvertToUtf32(c, text[end + 1]).ToString("X8", CultureInfo.InvariantCulture);
                        end++;
                    }
                    else
                    {
                        data = "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
                    }
                    Write(data);
                    start = end + 1;
                }
            }
            if (end > 0 && end < text.Length - 1 && (ch == ' ' || start >= end)
                && _column + (end - start) > BestWidth && split)
            {
                var data = (start < end ? text[start..end] : string.Empty) + "\\";
                if (start < end)
                {
                    start = end;
                }
                Write(data);
                WriteIndent();
                _whitespace = false;
                _indention = false;
                if (text[start] == ' ')
                {
                    Write("\\");
                }
            }
            end++;
        }
        WriteIndicator("\"", needWhitespace: false);
    }

    private readonly record struct Analysis(bool Empty, bool Multiline, bool AllowBlockPlain, bool AllowSingleQuoted);

    private static bool IsSpaceOrBreak(char c) => c is '\0' or ' ' or '\t' or '\r' or '\n' or '\x85' or '\u2028' or '\u2029';

    // PyYAML's Emitter.analyze_scalar, reduced to what block-context emission needs.
    private static Analysis Analyze(string scalar)
    {
        if (scalar.Length == 0)
        {
            return new Analysis(Empty: true, Multiline: false, AllowBlockPlain: true, AllowSingleQuoted: true);
        }
        var blockIndicators = scalar.StartsWith("---", StringComparison.Ordinal) || scalar.StartsWith("...", StringComparison.Ordinal);
        bool lineBreaks = false, specialCharacters = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        var precededByWhitespace = true;
        var followedByWhitespace = scalar.Length == 1 || IsSpaceOrBreak(scalar[1]);
        for (var index = 0; index < scalar.Length; index++)
        {
            var ch = scalar[index];
            if (index == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains(ch))
                {
                    blockIndicators = true;
                }
                if (ch is '?' or ':' && followedByWhitespace)
                {
                    blockIndicators = true;
                }
                if (ch == '-' && followedByWhitespace)
                {
                    blockIndicators = true;
                }
            }
            else
            {
                if (ch == ':' && followedByWhitespace)
                {
                    blockIndicators = true;
                }
                if (ch == '#' && precededByWhitespace)
                {
                    blockIndicators = true;
                }
            }
            if (IsBreak(ch))
            {
                lineBreaks = true;
            }
            if (!(ch == '\n' || (ch >= '\x20' && ch <= '\x7E')))
            {
                var printableUnicode = (ch == '\x85' || (ch >= '\xA0' && ch <= '\uD7FF') || (ch >= '\uE000' && ch <= '\uFFFD')
                    || char.IsSurrogate(ch)) && ch != '\uFEFF';
                if (!printableUnicode)
                {
                    specialCharacters = true;
                }
            }
            if (ch == ' ')
            {
                if (index == 0)
                {
                    leadingSpace = true;
                }
                if (index == scalar.Length - 1)
                {
                    trailingSpace = true;
                }
                if (previousBreak)
                {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(ch))
            {
                if (index == 0)
                {
                    leadingBreak = true;
                }
                if (index == scalar.Length - 1)
                {
                    trailingBreak = true;
                }
                if (previousSpace)
                {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = IsSpaceOrBreak(ch);
            followedByWhitespace = index + 2 >= scalar.Length || IsSpaceOrBreak(scalar[index + 2]);
        }

        var allowBlockPlain = true;
        var allowSingleQuoted = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            allowBlockPlain = false;
        }
        if (breakSpace)
        {
            allowBlockPlain = allowSingleQuoted = false;
        }
        if (spaceBreak || specialCharacters)
        {
            allowBlockPlain = allowSingleQuoted = false;
        }
        if (lineBreaks || blockIndicators)
        {
            allowBlockPlain = false;
        }
        return new Analysis(Empty: false, Multiline: lineBreaks, allowBlockPlain, allowSingleQuoted);
    }

    // PyYAML's implicit resolvers (YAML 1.1): a plain scalar that reads as another type must be quoted.
    private static bool ResolvesToString(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }
        return value[0] switch
        {
            'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~'
                => !BoolRegex().IsMatch(value) && !NullRegex().IsMatch(value),
            '-' or '+' or '.' => !IntRegex().IsMatch(value) && !FloatRegex().IsMatch(value),
            >= '0' and <= '9' => !IntRegex().IsMatch(value) && !FloatRegex().IsMatch(value) && !TimestampRegex().IsMatch(value),
            '<' => value != "<<",
            '=' => value != "=",
            _ => true,
        };
    }

    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolRegex();

    [GeneratedRegex("^(?:~|null|Null|NULL)$")]
    private static partial Regex NullRegex();

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatRegex();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$")]
    private static partial Regex TimestampRegex();
}

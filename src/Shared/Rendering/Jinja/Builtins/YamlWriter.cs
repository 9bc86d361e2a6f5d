using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>PyYAML's <c>safe_dump</c> layout (sorted keys, 80-column flow wrapping, indentless block sequences), as Salt's <c>yaml</c> filter uses it.</summary>
internal sealed partial class YamlWriter
{
    private const int BestWidth = 80;

    private readonly RenderState _st;
    private readonly bool _flow;
    private readonly StringBuilder _sb = new();
    private int _column;
    private bool _whitespace = true;
    private bool _indention = true;

    private YamlWriter(RenderState st, bool flow)
    {
        _st = st;
        _flow = flow;
    }

    public static string Dump(RenderState st, object? value, bool flow)
    {
        var w = new YamlWriter(st, flow);
        w.Node(value, -1, false, false);
        var text = w._sb.ToString().Trim();
        if (text.EndsWith("\n...", StringComparison.Ordinal))
        {
            text = text[..^4];
        }
        return text;
    }

    [GeneratedRegex(@"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolRe();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatRe();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntRe();

    [GeneratedRegex(@"^(?:~|null|Null|NULL|)$")]
    private static partial Regex NullRe();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$")]
    private static partial Regex TimestampRe();

    public static bool ResolvesToNonString(string s) =>
        BoolRe().IsMatch(s) || FloatRe().IsMatch(s) || IntRe().IsMatch(s) || NullRe().IsMatch(s) || TimestampRe().IsMatch(s) || s == "<<" || s == "=";

    public static string ScalarText(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        double d => FloatText(d),
        _ => throw new InvalidOperationException(),
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
        var r = Py.FloatRepr(d).ToLowerInvariant();
        if (!r.Contains('.') && r.Contains('e'))
        {
            r = r.Replace("e", ".0e", StringComparison.Ordinal);
        }
        return r;
    }

    private void Write(string s)
    {
        _sb.Append(s);
        _column += s.Length;
    }

    private void WriteLineBreak()
    {
        _sb.Append('\n');
        _column = 0;
        _whitespace = true;
        _indention = true;
    }

    private void WriteIndent(int indent)
    {
        indent = Math.Max(indent, 0);
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

    private void Indicator(string indicator, bool needWhitespace, bool whitespace = false, bool indention = false)
    {
        var data = _whitespace || !needWhitespace ? indicator : " " + indicator;
        _whitespace = whitespace;
        _indention = _indention && indention;
        Write(data);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Sorted(IDictionary<string, object?> d) =>
        d.OrderBy(p => p.Key, StringComparer.Ordinal);

    private void Node(object? value, int indent, bool mappingContext, bool simpleKey)
    {
        switch (value)
        {
            case Undefined u:
                throw u.Error();
            case IDictionary<string, object?> dict:
                if (_flow || dict.Count == 0)
                {
                    FlowMapping(dict, indent);
                }
                else
                {
                    BlockMapping(dict, indent);
                }
                break;
            case List<object?> or PyTuple or DictView:
                var items = Py.ToList(_st, value);
                if (_flow || items.Count == 0)
                {
                    FlowSequence(items, indent);
                }
                else
                {
                    BlockSequence(items, indent, mappingContext);
                }
                break;
            case string s:
                Scalar(s, indent < 0 ? 2 : indent + 2, simpleKey);
                break;
            case null or bool or long or int or double:
                Plain(ScalarText(value), indent < 0 ? 2 : indent + 2, !simpleKey);
                break;
            default:
                throw new JinjaException(JinjaErrorKind.Runtime, $"cannot represent an object: {Py.Repr(value)}");
        }
    }

    private void FlowSequence(List<object?> items, int indent)
    {
        Indicator("[", true, whitespace: true);
        var inner = indent < 0 ? 2 : indent + 2;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                Indicator(",", false);
            }
            if (_column > BestWidth)
            {
                WriteIndent(inner);
            }
            Node(items[i], inner, false, false);
        }
        Indicator("]", false);
    }

    private void FlowMapping(IDictionary<string, object?> dict, int indent)
    {
        Indicator("{", true, whitespace: true);
        var inner = indent < 0 ? 2 : indent + 2;
        var first = true;
        foreach (var pair in Sorted(dict))
        {
            if (!first)
            {
                Indicator(",", false);
            }
            first = false;
            if (_column > BestWidth)
            {
                WriteIndent(inner);
            }
            Scalar(pair.Key, inner + 2, true);
            Indicator(":", false);
            Node(pair.Value, inner, true, false);
        }
        Indicator("}", false);
    }

    private void BlockSequence(List<object?> items, int indent, bool mappingContext)
    {
        var indentless = mappingContext && !_indention;
        var inner = indent < 0 ? 0 : indentless ? indent : indent + 2;
        foreach (var item in items)
        {
            WriteIndent(inner);
            Indicator("-", true, indention: true);
            Node(item, inner, false, false);
        }
    }

    private void BlockMapping(IDictionary<string, object?> dict, int indent)
    {
        var inner = indent < 0 ? 0 : indent + 2;
        foreach (var pair in Sorted(dict))
        {
            WriteIndent(inner);
            Scalar(pair.Key, inner + 2, true);
            Indicator(":", false);
            Node(pair.Value, inner, true, false);
        }
    }

    private void Scalar(string s, int indent, bool simpleKey)
    {
        var style = ChooseStyle(s, simpleKey, _flow);
        switch (style)
        {
            case '\0': Plain(s, indent, !simpleKey); break;
            case '\'': SingleQuoted(s, indent, !simpleKey); break;
            default: Write(DoubleQuotedPrefix() + DoubleQuote(s)); _whitespace = false; _indention = false; break;
        }
    }

    private string DoubleQuotedPrefix() => _whitespace ? string.Empty : " ";

    public static char ChooseStyle(string s, bool simpleKey, bool flowContext)
    {
        var a = Analyze(s);
        if (!ResolvesToNonString(s) && !(simpleKey && (a.Empty || a.Multiline)) && (flowContext ? a.AllowFlowPlain : a.AllowBlockPlain))
        {
            return '\0';
        }
        if (a.AllowSingleQuoted && !a.Multiline)
        {
            return '\'';
        }
        return '"';
    }

    private readonly record struct Analysis(bool Empty, bool Multiline, bool AllowFlowPlain, bool AllowBlockPlain, bool AllowSingleQuoted);

    private static bool IsBreakOrSpace(char c) => c is '\0' or ' ' or '\t' or '\r' or '\n' or '\x85' or '\u2028' or '\u2029';

    private static Analysis Analyze(string s)
    {
        if (s.Length == 0)
        {
            return new Analysis(true, false, false, true, true);
        }
        bool blockInd = false, flowInd = false, lineBreaks = false, special = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false, breakSpace = false, spaceBreak = false;
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            blockInd = flowInd = true;
        }
        var preceded = true;
        var followed = s.Length == 1 || IsBreakOrSpace(s[1]);
        bool prevSpace = false, prevBreak = false;
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (i == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains(ch))
                {
                    flowInd = blockInd = true;
                }
                if (ch is '?' or ':')
                {
                    flowInd = true;
                    if (followed)
                    {
                        blockInd = true;
                    }
                }
                if (ch == '-' && followed)
                {
                    flowInd = blockInd = true;
                }
            }
            else
            {
                if (",?[]{}".Contains(ch))
                {
                    flowInd = true;
                }
                if (ch == ':')
                {
                    flowInd = true;
                    if (followed)
                    {
                        blockInd = true;
                    }
                }
                if (ch == '#' && preceded)
                {
                    flowInd = blockInd = true;
                }
            }
            if (ch is '\n' or '\x85' or '\u2028' or '\u2029')
            {
                lineBreaks = true;
            }
            if (!(ch == '\n' || (ch >= '\x20' && ch <= '\x7e')))
            {
                var unicodeOk = (ch == '\x85' || (ch >= '\xa0' && ch <= '\ud7ff') || (ch >= '\ue000' && ch <= '\ufffd') || char.IsSurrogate(ch)) && ch != '\ufeff';
                if (!unicodeOk)
                {
                    special = true;
                }
            }
            if (ch == ' ')
            {
                if (i == 0)
                {
                    leadingSpace = true;
                }
                if (i == s.Length - 1)
                {
                    trailingSpace = true;
                }
                if (prevBreak)
                {
                    breakSpace = true;
                }
                prevSpace = true;
                prevBreak = false;
            }
            else if (ch is '\n' or '\x85' or '\u2028' or '\u2029')
            {
                if (i == 0)
                {
                    leadingBreak = true;
                }
                if (i == s.Length - 1)
                {
                    trailingBreak = true;
                }
                if (prevSpace)
                {
                    spaceBreak = true;
                }
                prevSpace = false;
                prevBreak = true;
            }
            else
            {
                prevSpace = prevBreak = false;
            }
            preceded = IsBreakOrSpace(ch);
            followed = i + 2 >= s.Length || IsBreakOrSpace(s[i + 2]);
        }
        bool flowPlain = true, blockPlain = true, single = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            flowPlain = blockPlain = false;
        }
        if (breakSpace)
        {
            flowPlain = blockPlain = single = false;
        }
        if (spaceBreak || special)
        {
            flowPlain = blockPlain = single = false;
        }
        if (lineBreaks)
        {
            flowPlain = blockPlain = false;
        }
        if (flowInd)
        {
            flowPlain = false;
        }
        if (blockInd)
        {
            blockPlain = false;
        }
        return new Analysis(false, lineBreaks, flowPlain, blockPlain, single);
    }

    private void Plain(string text, int indent, bool split)
    {
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
        WriteWords(text, indent, split);
    }

    private void WriteWords(string text, int indent, bool split)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                var j = i;
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }
                if (j - i == 1 && _column > BestWidth && split && j < text.Length)
                {
                    WriteIndent(indent);
                    _whitespace = false;
                    _indention = false;
                }
                else
                {
                    Write(text[i..j]);
                }
                i = j;
            }
            else
            {
                var j = i;
                while (j < text.Length && text[j] != ' ')
                {
                    j++;
                }
                Write(text[i..j]);
                i = j;
            }
        }
    }

    private void SingleQuoted(string text, int indent, bool split)
    {
        Indicator("'", true);
        WriteWords(text.Replace("'", "''", StringComparison.Ordinal), indent, split);
        Indicator("'", false);
    }

    public static string DoubleQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '\0': sb.Append("\\0"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\v': sb.Append("\\v"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                case '\x1b': sb.Append("\\e"); break;
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\x85': sb.Append("\\N"); break;
                case '\xa0': sb.Append("\\_"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\ufeff')
                    {
                        sb.Append(c <= 0xff ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}

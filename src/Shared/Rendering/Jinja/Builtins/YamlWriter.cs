using System.Text;
using Orchestrator.Shared.Output;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>PyYAML's <c>safe_dump</c> layout (sorted keys, 80-column flow wrapping, indentless block sequences), as Salt's <c>yaml</c> filter uses it.</summary>
internal sealed class YamlWriter
{
    private readonly RenderState _st;
    private readonly bool? _flowStyle;
    private readonly StringBuilder _sb = new();
    private int _column;
    private bool _whitespace = true;
    private bool _indention = true;
    private int _flowLevel;

    private YamlWriter(RenderState st, bool? flowStyle)
    {
        _st = st;
        _flowStyle = flowStyle;
    }

    /// <summary>PyYAML's <c>default_flow_style</c>: true writes every collection in flow style, false in block style, and
    /// null (what <c>yaml.dump</c> and Salt's yaml serializer default to) uses flow style for a collection of scalars only.</summary>
    public static string Dump(RenderState st, object? value, bool? flowStyle)
    {
        var w = new YamlWriter(st, flowStyle);
        w.Node(value, -1, false, false);
        var text = w._sb.ToString().Trim();
        if (text.EndsWith("\n...", StringComparison.Ordinal))
        {
            text = text[..^4];
        }
        return text;
    }

    /// <summary>The plain text of a null, bool, integer or float (PyYAML's SafeRepresenter).</summary>
    public static string ScalarText(object? v) =>
        PyYamlScalars.ScalarText(v) ?? throw new InvalidOperationException();

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
        Py.EnsureStack();
        switch (value)
        {
            case Undefined u:
                throw u.Error();
            case IDictionary<string, object?> dict:
                if (UseFlow(dict.Count, dict.Values))
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
                if (UseFlow(items.Count, items))
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

    private bool UseFlow(int count, IEnumerable<object?> children) =>
        _flowStyle == true || _flowLevel > 0 || count == 0
        || (_flowStyle is null && children.All(c => c is null or string or bool or long or int or double));

    private void FlowSequence(List<object?> items, int indent)
    {
        _flowLevel++;
        Indicator("[", true, whitespace: true);
        var inner = indent < 0 ? 2 : indent + 2;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                Indicator(",", false);
            }
            if (_column > PyYamlScalars.BestWidth)
            {
                WriteIndent(inner);
            }
            Node(items[i], inner, false, false);
        }
        Indicator("]", false);
        _flowLevel--;
    }

    private void FlowMapping(IDictionary<string, object?> dict, int indent)
    {
        _flowLevel++;
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
            if (_column > PyYamlScalars.BestWidth)
            {
                WriteIndent(inner);
            }
            Scalar(pair.Key, inner + 2, true);
            Indicator(":", false);
            Node(pair.Value, inner, true, false);
        }
        Indicator("}", false);
        _flowLevel--;
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
        // This writer's single-quoted form cannot fold line breaks, so multi-line text goes to double quotes.
        var style = PyYamlScalars.ChooseStyle(s, simpleKey, _flowStyle == true || _flowLevel > 0, singleQuoteMultiline: false, legacyDotFloat: true);
        switch (style)
        {
            case PyYamlScalars.Style.Plain: Plain(s, indent, !simpleKey); break;
            case PyYamlScalars.Style.SingleQuoted: SingleQuoted(s, indent, !simpleKey); break;
            default: Write(DoubleQuotedPrefix() + DoubleQuote(s)); _whitespace = false; _indention = false; break;
        }
    }

    private string DoubleQuotedPrefix() => _whitespace ? string.Empty : " ";

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
                if (j - i == 1 && _column > PyYamlScalars.BestWidth && split && j < text.Length)
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

    /// <summary>A double-quoted scalar on one line (no folding), printable non-ASCII text kept as is.</summary>
    public static string DoubleQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (PyYamlScalars.EscapeReplacement(c) is not null || c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\ufeff')
            {
                sb.Append(PyYamlScalars.Escape(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.Append('"').ToString();
    }
}

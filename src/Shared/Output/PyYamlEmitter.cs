using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Output;

/// <summary>A block-style YAML emitter that reproduces PyYAML's <c>Emitter</c> output for the canonical data model.</summary>
/// <remarks>The state (column, whitespace, indention, indent stack) and the scalar-style rules mirror PyYAML's, so the
/// text is byte-for-byte what Salt prints for the same data. The scalar rules themselves live in <see cref="PyYamlScalars"/>.</remarks>
internal sealed class PyYamlEmitter
{
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
            var analysis = PyYamlScalars.Analyze(key);
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
                WritePlain(PyYamlScalars.ScalarText(value) ?? PyFormat.Str(value), split: !_simpleKeyContext);
                break;
        }
        _indent = _indents.Pop();
    }

    private void WriteString(string value)
    {
        var split = !_simpleKeyContext;
        switch (PyYamlScalars.ChooseStyle(value, _simpleKeyContext, flowContext: false, singleQuoteMultiline: true))
        {
            case PyYamlScalars.Style.Plain:
                WritePlain(value, split);
                break;
            case PyYamlScalars.Style.SingleQuoted:
                WriteSingleQuoted(value, split);
                break;
            default:
                WriteDoubleQuoted(value, split);
                break;
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
                    if (start + 1 == end && _column > PyYamlScalars.BestWidth && split)
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
                if (ch is not { } c || !PyYamlScalars.IsBreak(c))
                {
                    WriteBreaks(text, start, end);
                    _whitespace = false;
                    _indention = false;
                    start = end;
                }
            }
            else if (ch is null || ch == ' ' || PyYamlScalars.IsBreak(ch.Value))
            {
                Write(text[start..end]);
                start = end;
            }
            if (ch is { } next)
            {
                spaces = next == ' ';
                breaks = PyYamlScalars.IsBreak(next);
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
                    if (start + 1 == end && _column > PyYamlScalars.BestWidth && split && start != 0 && end != text.Length)
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
                if (ch is not { } c || !PyYamlScalars.IsBreak(c))
                {
                    WriteBreaks(text, start, end);
                    start = end;
                }
            }
            else if (ch is null || ch == ' ' || ch == '\'' || PyYamlScalars.IsBreak(ch.Value))
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
                breaks = PyYamlScalars.IsBreak(next);
            }
            end++;
        }
        WriteIndicator("'", needWhitespace: false);
    }

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
                    if (char.IsHighSurrogate(c) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]))
                    {
                        data = "\\U" + char.ConvertToUtf32(c, text[end + 1]).ToString("X8", CultureInfo.InvariantCulture);
                        end++;
                    }
                    else
                    {
                        data = PyYamlScalars.Escape(c);
                    }
                    Write(data);
                    start = end + 1;
                }
            }
            if (end > 0 && end < text.Length - 1 && (ch == ' ' || start >= end)
                && _column + (end - start) > PyYamlScalars.BestWidth && split)
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
}

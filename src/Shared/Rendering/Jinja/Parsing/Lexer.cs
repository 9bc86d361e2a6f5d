using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Rendering.Jinja.Parsing;

/// <summary>Turns template source into tokens with Jinja2's delimiters and whitespace control.</summary>
internal sealed class Lexer
{
    private static readonly string[] _operators =
    [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ];

    private readonly string _src;
    private readonly string _name;
    private readonly bool _trimBlocks;
    private readonly bool _lstripBlocks;
    private readonly List<Token> _tokens = new();
    private readonly List<int> _lineStarts = new() { 0 };
    private int _pos;
    private bool _stripLeading;

    private Lexer(string source, string name, bool trimBlocks, bool lstripBlocks)
    {
        _src = source;
        _name = name;
        _trimBlocks = trimBlocks;
        _lstripBlocks = lstripBlocks;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public static string NormalizeSource(string source, bool keepTrailingNewline)
    {
        if (source.IndexOf('\r') < 0)
        {
            if (!keepTrailingNewline && source.EndsWith('\n'))
            {
                return source[..^1];
            }
            return source;
        }
        var sb = new StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\r')
            {
                sb.Append('\n');
                if (i + 1 < source.Length && source[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                sb.Append(c);
            }
        }
        if (!keepTrailingNewline && sb.Length > 0 && sb[^1] == '\n')
        {
            sb.Length--;
        }
        return sb.ToString();
    }

    public static List<Token> Tokenize(string normalizedSource, string name, bool trimBlocks, bool lstripBlocks)
    {
        var lexer = new Lexer(normalizedSource, name, trimBlocks, lstripBlocks);
        lexer.Run();
        return lexer._tokens;
    }

    private (int Line, int Column) Position(int offset)
    {
        var lo = 0;
        var hi = _lineStarts.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_lineStarts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return (lo + 1, offset - _lineStarts[lo] + 1);
    }

    private JinjaException Error(string message, int offset)
    {
        var (line, col) = Position(Math.Min(offset, _src.Length));
        return new JinjaException(JinjaErrorKind.Syntax, message, _name, line, col);
    }

    private void Add(TokenType type, string value, int offset, object? literal = null)
    {
        var (line, col) = Position(offset);
        _tokens.Add(new Token(type, value, line, col, literal));
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    private void Run()
    {
        var src = _src;
        while (_pos < src.Length)
        {
            var dataStart = _pos;
            if (_stripLeading)
            {
                while (dataStart < src.Length && IsSpace(src[dataStart]))
                {
                    dataStart++;
                }
                _stripLeading = false;
            }
            var tagStart = FindTagStart(dataStart);
            if (tagStart < 0)
            {
                if (dataStart < src.Length)
                {
                    Add(TokenType.Data, src[dataStart..], dataStart);
                }
                _pos = src.Length;
                break;
            }
            var kind = src[tagStart + 1];
            var afterOpen = tagStart + 2;
            var sign = afterOpen < src.Length ? src[afterOpen] : '\0';
            var dataEnd = tagStart;
            if (sign == '-')
            {
                while (dataEnd > dataStart && IsSpace(src[dataEnd - 1]))
                {
                    dataEnd--;
                }
            }
            else if (sign != '+' && _lstripBlocks && kind != '{')
            {
                var k = dataEnd;
                while (k > dataStart && (src[k - 1] == ' ' || src[k - 1] == '\t'))
                {
                    k--;
                }
                if (k == 0 || src[k - 1] == '\n')
                {
                    if (k >= dataStart)
                    {
                        dataEnd = k;
                    }
                }
            }
            if (sign == '-' || sign == '+')
            {
                afterOpen++;
            }
            if (kind == '%' && TryRaw(afterOpen, out var rawBodyStart, out var rawOpenEnd))
            {
                if (dataEnd > dataStart)
                {
                    Add(TokenType.Data, src[dataStart..dataEnd], dataStart);
                }
                LexRaw(tagStart, rawBodyStart, rawOpenEnd);
                continue;
            }
            if (dataEnd > dataStart)
            {
                Add(TokenType.Data, src[dataStart..dataEnd], dataStart);
            }
            switch (kind)
            {
                case '#':
                    LexComment(tagStart, afterOpen);
                    break;
                case '{':
                    Add(TokenType.VariableBegin, "{{", tagStart);
                    _pos = afterOpen;
                    LexExpression(false, tagStart);
                    break;
                default:
                    Add(TokenType.BlockBegin, "{%", tagStart);
                    _pos = afterOpen;
                    LexExpression(true, tagStart);
                    break;
            }
        }
        Add(TokenType.Eof, string.Empty, src.Length);
    }

    private int FindTagStart(int from)
    {
        var src = _src;
        var i = from;
        while (true)
        {
            i = src.IndexOf('{', i);
            if (i < 0 || i + 1 >= src.Length)
            {
                return -1;
            }
            var n = src[i + 1];
            if (n == '{' || n == '%' || n == '#')
            {
                return i;
            }
            i++;
        }
    }

    private bool TryRaw(int afterOpen, out int bodyStart, out int openEnd)
    {
        bodyStart = openEnd = 0;
        var i = afterOpen;
        while (i < _src.Length && IsSpace(_src[i]))
        {
            i++;
        }
        if (string.CompareOrdinal(_src, i, "raw", 0, 3) != 0)
        {
            return false;
        }
        i += 3;
        var j = i;
        while (j < _src.Length && IsSpace(_src[j]))
        {
            j++;
        }
        var strip = false;
        if (j < _src.Length && (_src[j] == '-' || _src[j] == '+'))
        {
            strip = _src[j] == '-';
            j++;
        }
        if (j + 1 >= _src.Length || _src[j] != '%' || _src[j + 1] != '}')
        {
            return false;
        }
        openEnd = j + 2;
        bodyStart = openEnd;
        if (strip)
        {
            while (bodyStart < _src.Length && IsSpace(_src[bodyStart]))
            {
                bodyStart++;
            }
        }
        else if (_trimBlocks && bodyStart < _src.Length && _src[bodyStart] == '\n')
        {
            bodyStart++;
        }
        return true;
    }

    private void LexRaw(int tagStart, int bodyStart, int openEnd)
    {
        var src = _src;
        var search = openEnd;
        while (true)
        {
            var t = src.IndexOf("{%", search, StringComparison.Ordinal);
            if (t < 0)
            {
                throw Error("Missing end of raw directive", tagStart);
            }
            var i = t + 2;
            var rstrip = false;
            if (i < src.Length && (src[i] == '-' || src[i] == '+'))
            {
                rstrip = src[i] == '-';
                i++;
            }
            while (i < src.Length && IsSpace(src[i]))
            {
                i++;
            }
            if (string.CompareOrdinal(src, i, "endraw", 0, 6) != 0)
            {
                search = t + 2;
                continue;
            }
            i += 6;
            while (i < src.Length && IsSpace(src[i]))
            {
                i++;
            }
            var stripAfter = false;
            if (i < src.Length && (src[i] == '-' || src[i] == '+'))
            {
                stripAfter = src[i] == '-';
                i++;
            }
            if (i + 1 >= src.Length || src[i] != '%' || src[i + 1] != '}')
            {
                search = t + 2;
                continue;
            }
            var bodyEnd = t;
            if (rstrip)
            {
                while (bodyEnd > bodyStart && IsSpace(src[bodyEnd - 1]))
                {
                    bodyEnd--;
                }
            }
            if (bodyEnd > bodyStart)
            {
                Add(TokenType.Data, src[bodyStart..bodyEnd], bodyStart);
            }
            _pos = i + 2;
            if (stripAfter)
            {
                _stripLeading = true;
            }
            else if (_trimBlocks && _pos < src.Length && src[_pos] == '\n')
            {
                _pos++;
            }
            return;
        }
    }

    private void LexComment(int tagStart, int afterOpen)
    {
        var end = _src.IndexOf("#}", afterOpen, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("Missing end of comment tag", tagStart);
        }
        _pos = end + 2;
        if (end > afterOpen && _src[end - 1] == '-')
        {
            _stripLeading = true;
        }
        else if (_trimBlocks && !(end > afterOpen && _src[end - 1] == '+') && _pos < _src.Length && _src[_pos] == '\n')
        {
            _pos++;
        }
    }

    private void LexExpression(bool block, int tagStart)
    {
        var src = _src;
        var balance = new Stack<char>();
        var endChar = block ? '%' : '}';
        while (true)
        {
            while (_pos < src.Length && IsSpace(src[_pos]))
            {
                _pos++;
            }
            if (_pos >= src.Length)
            {
                var what = block ? "end of statement block" : "end of print statement";
                throw Error($"unexpected end of template, expected '{what}'.", src.Length);
            }
            var c = src[_pos];
            if (balance.Count == 0)
            {
                if ((c == '-' || c == '+') && Matches(_pos + 1, endChar))
                {
                    Add(block ? TokenType.BlockEnd : TokenType.VariableEnd, block ? "%}" : "}}", _pos);
                    _pos += 3;
                    if (c == '-')
                    {
                        _stripLeading = true;
                    }
                    return;
                }
                if (Matches(_pos, endChar))
                {
                    Add(block ? TokenType.BlockEnd : TokenType.VariableEnd, block ? "%}" : "}}", _pos);
                    _pos += 2;
                    if (block && _trimBlocks && _pos < src.Length && src[_pos] == '\n')
                    {
                        _pos++;
                    }
                    return;
                }
            }
            if (char.IsLetter(c) || c == '_')
            {
                var s = _pos;
                while (_pos < src.Length && (char.IsLetterOrDigit(src[_pos]) || src[_pos] == '_'))
                {
                    _pos++;
                }
                Add(TokenType.Name, src[s.._pos], s);
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                LexNumber();
                continue;
            }
            if (c == '\'' || c == '"')
            {
                LexString(c);
                continue;
            }
            var op = MatchOperator();
            if (op is null)
            {
                throw Error($"unexpected char '{c}' at {_pos}", _pos);
            }
            if (op is "(" or "[" or "{")
            {
                balance.Push(op[0]);
            }
            else if (op is ")" or "]" or "}")
            {
                var expected = op switch { ")" => '(', "]" => '[', _ => '{' };
                if (balance.Count == 0)
                {
                    throw Error($"unexpected '{op}'", _pos);
                }
                var open = balance.Pop();
                if (open != expected)
                {
                    var close = open switch { '(' => ")", '[' => "]", _ => "}" };
                    throw Error($"unexpected '{op}', expected '{close}'", _pos);
                }
            }
            Add(TokenType.Operator, op, _pos);
            _pos += op.Length;
        }
    }

    private bool Matches(int at, char endChar) =>
        at + 1 < _src.Length && _src[at] == endChar && _src[at + 1] == '}';

    private string? MatchOperator()
    {
        foreach (var op in _operators)
        {
            if (string.CompareOrdinal(_src, _pos, op, 0, op.Length) == 0)
            {
                return op;
            }
        }
        return null;
    }

    private void LexNumber()
    {
        var src = _src;
        var s = _pos;
        if (src[_pos] == '0' && _pos + 1 < src.Length && "xXoObB".Contains(src[_pos + 1]))
        {
            var radix = char.ToLowerInvariant(src[_pos + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            _pos += 2;
            var ds = _pos;
            while (_pos < src.Length && (Uri.IsHexDigit(src[_pos]) || src[_pos] == '_'))
            {
                _pos++;
            }
            var digits = src[ds.._pos].Replace("_", string.Empty, StringComparison.Ordinal);
            long v = 0;
            foreach (var d in digits)
            {
                v = (v * radix) + Convert.ToInt32(d.ToString(), 16);
            }
            Add(TokenType.Integer, src[s.._pos], s, v);
            return;
        }
        ReadDigits();
        var isFloat = false;
        if (_pos + 1 < src.Length && src[_pos] == '.' && char.IsAsciiDigit(src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            ReadDigits();
        }
        if (_pos < src.Length && (src[_pos] == 'e' || src[_pos] == 'E'))
        {
            var save = _pos;
            _pos++;
            if (_pos < src.Length && (src[_pos] == '+' || src[_pos] == '-'))
            {
                _pos++;
            }
            if (_pos < src.Length && char.IsAsciiDigit(src[_pos]))
            {
                ReadDigits();
                isFloat = true;
            }
            else
            {
                _pos = save;
            }
        }
        var text = src[s.._pos].Replace("_", string.Empty, StringComparison.Ordinal);
        if (isFloat)
        {
            Add(TokenType.Float, text, s, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        else if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
        {
            Add(TokenType.Integer, text, s, l);
        }
        else
        {
            Add(TokenType.Float, text, s, double.Parse(text, CultureInfo.InvariantCulture));
        }
    }

    private void ReadDigits()
    {
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || (_src[_pos] == '_' && _pos + 1 < _src.Length && char.IsAsciiDigit(_src[_pos + 1]))))
        {
            _pos++;
        }
    }

    private void LexString(char quote)
    {
        var src = _src;
        var s = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= src.Length)
            {
                throw Error("unexpected char '" + quote + "' at " + s.ToString(CultureInfo.InvariantCulture), s);
            }
            var c = src[_pos];
            if (c == quote)
            {
                _pos++;
                break;
            }
            if (c != '\\')
            {
                sb.Append(c);
                _pos++;
                continue;
            }
            if (_pos + 1 >= src.Length)
            {
                throw Error("unexpected char '" + quote + "' at " + s.ToString(CultureInfo.InvariantCulture), s);
            }
            var e = src[_pos + 1];
            _pos += 2;
            switch (e)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': sb.Append(ReadHexEscape(2)); break;
                case 'u': sb.Append(ReadHexEscape(4)); break;
                case 'U': sb.Append(ReadHexEscape(8)); break;
                case >= '0' and <= '7':
                    var v = e - '0';
                    for (var k = 0; k < 2 && _pos < src.Length && src[_pos] >= '0' && src[_pos] <= '7'; k++)
                    {
                        v = (v * 8) + (src[_pos++] - '0');
                    }
                    sb.Append((char)v);
                    break;
                default:
                    sb.Append('\\').Append(e);
                    break;
            }
        }
        Add(TokenType.String, src[s.._pos], s, sb.ToString());
    }

    private string ReadHexEscape(int count)
    {
        if (_pos + count > _src.Length)
        {
            throw Error("invalid escape in string literal", _pos);
        }
        var hex = _src.Substring(_pos, count);
        if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
        {
            throw Error("invalid escape in string literal", _pos);
        }
        _pos += count;
        return char.ConvertFromUtf32(code);
    }
}

namespace Orchestrator.Shared.Rendering.Jinja.Parsing;

internal enum TokenType
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
}

internal readonly record struct Token(TokenType Type, string Value, int Line, int Column, object? Literal = null)
{
    public bool Is(TokenType type, string value) => Type == type && Value == value;

    public bool IsName(string value) => Type == TokenType.Name && Value == value;

    public bool IsOp(string value) => Type == TokenType.Operator && Value == value;

    public string Describe() => Type switch
    {
        TokenType.Eof => "end of template",
        TokenType.VariableEnd => "end of print statement",
        TokenType.BlockEnd => "end of statement block",
        TokenType.VariableBegin => "begin of print statement",
        TokenType.BlockBegin => "begin of statement block",
        TokenType.Data => "template data / text",
        TokenType.String => "string",
        TokenType.Integer => "integer",
        TokenType.Float => "float",
        _ => Value,
    };
}

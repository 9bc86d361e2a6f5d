using Orchestrator.Shared.Rendering.Jinja.Ast;

namespace Orchestrator.Shared.Rendering.Jinja.Parsing;

/// <summary>Recursive-descent parser producing the statement tree, following Jinja2's grammar and error messages.</summary>
internal sealed class Parser
{
    /// <summary>
    /// Deepest nesting of parentheses, brackets, unary operators and blocks. The parser recurses per level, so thousands of
    /// <c>(</c> would overflow the stack and end the process (the master renders pillar and reactor files).
    /// </summary>
    public const int MaxNesting = 100;

    /// <summary>
    /// Deepest tree the parser may produce. Chains (<c>a ~ b ~ c ...</c>, <c>x|f|f|f ...</c>, <c>x.a.b.c ...</c>) parse in a loop
    /// but render recursively, one level per link.
    /// </summary>
    public const int MaxTreeDepth = 400;

    private static readonly HashSet<string> _compareOps = new(StringComparer.Ordinal) { "==", "!=", "<", ">", "<=", ">=" };

    private readonly List<Token> _tokens;
    private readonly string _name;
    private readonly JinjaEnvironment _env;
    private readonly List<string> _tagStack = new();
    private readonly List<string[]> _endTokenStack = new();
    private int _pos;
    private int _nesting;

    public Parser(List<Token> tokens, string name, JinjaEnvironment env)
    {
        _tokens = tokens;
        _name = name;
        _env = env;
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int n = 1) => _tokens[Math.Min(_pos + n, _tokens.Count - 1)];

    private Token Next()
    {
        var t = _tokens[_pos];
        if (_pos < _tokens.Count - 1)
        {
            _pos++;
        }
        return t;
    }

    private JinjaException Fail(string message, Token at) =>
        new(JinjaErrorKind.Syntax, message, _name, at.Line, at.Column);

    // One level deeper; levels are given back on the way out, and a syntax error ends the parse anyway.
    private void Nest(Token at)
    {
        if (++_nesting > MaxNesting)
        {
            throw Fail($"expressions and blocks nested deeper than {MaxNesting} levels", at);
        }
    }

    private Token Expect(TokenType type, string? value = null)
    {
        var t = Current;
        if (t.Type != type || (value is not null && t.Value != value))
        {
            var expected = value ?? new Token(type, string.Empty, 0, 0).Describe();
            if (t.Type == TokenType.Eof)
            {
                throw Fail($"unexpected end of template, expected '{expected}'.", t);
            }
            throw Fail($"expected token '{expected}', got '{t.Describe()}'", t);
        }
        return Next();
    }

    private bool SkipIf(TokenType type, string value)
    {
        if (Current.Type == type && Current.Value == value)
        {
            Next();
            return true;
        }
        return false;
    }

    private bool SkipName(string value) => SkipIf(TokenType.Name, value);

    private bool SkipOp(string value) => SkipIf(TokenType.Operator, value);

    private static T At<T>(T node, Token t)
        where T : Node
    {
        node.Line = t.Line;
        node.Column = t.Column;
        return node;
    }

    public Stmt[] ParseTemplate()
    {
        var body = Subparse(null);
        CheckTreeDepth(body);
        return body;
    }

    // Walks the tree with an explicit stack, so the check itself cannot overflow.
    private void CheckTreeDepth(Stmt[] body)
    {
        var pending = new Stack<(Node Node, int Depth)>(body.Select(s => ((Node)s, 1)));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxTreeDepth)
            {
                throw new JinjaException(
                    JinjaErrorKind.Syntax, $"expression chained or nested deeper than {MaxTreeDepth} levels", _name, node.Line, node.Column);
            }
            foreach (var child in node.Children())
            {
                pending.Push((child, depth + 1));
            }
        }
    }

    private Stmt[] Subparse(string[]? endTokens)
    {
        var body = new List<Stmt>();
        if (endTokens is not null)
        {
            Nest(Current);
            _endTokenStack.Add(endTokens);
        }
        try
        {
            while (Current.Type != TokenType.Eof)
            {
                var t = Current;
                switch (t.Type)
                {
                    case TokenType.Data:
                        Next();
                        body.Add(At(new DataStmt(t.Value), t));
                        break;
                    case TokenType.VariableBegin:
                        Next();
                        var exprStart = Current;
                        var expr = ParseTuple(withCondExpr: true);
                        Expect(TokenType.VariableEnd);
                        body.Add(At(new OutputStmt(expr), exprStart));
                        break;
                    case TokenType.BlockBegin:
                        Next();
                        if (endTokens is not null && Current.Type == TokenType.Name && endTokens.Contains(Current.Value))
                        {
                            return body.ToArray();
                        }
                        var stmt = ParseStatement();
                        if (stmt is not null)
                        {
                            body.Add(stmt);
                        }
                        break;
                    default:
                        throw Fail("internal parser error", t);
                }
            }
            if (endTokens is not null)
            {
                FailUnknownTag(null, Current);
            }
            return body.ToArray();
        }
        finally
        {
            if (endTokens is not null)
            {
                _endTokenStack.RemoveAt(_endTokenStack.Count - 1);
                _nesting--;
            }
        }
    }

    private void FailUnknownTag(string? name, Token at)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in _endTokenStack)
        {
            expected.UnionWith(group);
        }
        var message = new List<string> { name is null ? "Unexpected end of template." : $"Encountered unknown tag '{name}'." };
        if (_endTokenStack.Count > 0)
        {
            var looking = string.Join(" or ", _endTokenStack[^1].Select(e => $"'{e}'"));
            if (name is not null && expected.Contains(name))
            {
                message.Add($"You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}.");
            }
            else
            {
                message.Add($"Jinja was looking for the following tags: {looking}.");
            }
        }
        if (_tagStack.Count > 0)
        {
            message.Add($"The innermost block that needs to be closed is '{_tagStack[^1]}'.");
        }
        throw Fail(string.Join(" ", message), at);
    }

    private Stmt[] ParseStatements(string[] endTokens, bool dropNeedle = false)
    {
        SkipOp(":");
        Expect(TokenType.BlockEnd);
        var body = Subparse(endTokens);
        if (Current.Type == TokenType.Eof)
        {
            FailUnknownTag(null, Current);
        }
        if (dropNeedle)
        {
            Next();
        }
        return body;
    }

    private Stmt? ParseStatement()
    {
        var t = Current;
        if (t.Type != TokenType.Name)
        {
            throw Fail("tag name expected", t);
        }
        _tagStack.Add(t.Value);
        var popTag = true;
        try
        {
            switch (t.Value)
            {
                case "for": return ParseFor();
                case "if": return ParseIf();
                case "set": return ParseSet();
                case "macro": return ParseMacro();
                case "call": return ParseCallBlock();
                case "filter": return ParseFilterBlock();
                case "include": return ParseInclude();
                case "import": return ParseImport();
                case "from": return ParseFrom();
                case "with": return ParseWith();
                case "do":
                    {
                        Next();
                        var stmt = At(new DoStmt(ParseTuple()), t);
                        Expect(TokenType.BlockEnd);
                        return stmt;
                    }
                case "break":
                case "continue":
                    {
                        Next();
                        var inLoop = _tagStack.Take(_tagStack.Count - 1).Contains("for");
                        if (!inLoop)
                        {
                            throw Fail($"'{t.Value}' can only be used inside a loop", t);
                        }
                        Expect(TokenType.BlockEnd);
                        return At(new BreakStmt(t.Value == "break"), t);
                    }
                case "block": return ParseBlock();
                case "autoescape":
                    {
                        Next();
                        ParseExpression();
                        var body = ParseStatements(["endautoescape"], true);
                        Expect(TokenType.BlockEnd);
                        return At(new BlockStmt(body, true), t);
                    }
                case "import_yaml":
                case "import_json":
                case "import_text":
                    {
                        Next();
                        var template = ParseExpression();
                        if (!SkipName("as"))
                        {
                            throw Fail($"expected token 'as', got '{Current.Describe()}'", Current);
                        }
                        var alias = Expect(TokenType.Name).Value;
                        Expect(TokenType.BlockEnd);
                        return At(new SaltImportStmt(template, alias, t.Value[7..]), t);
                    }
                case "load_yaml":
                case "load_json":
                case "load_text":
                    {
                        Next();
                        if (!SkipName("as"))
                        {
                            throw Fail($"expected token 'name:as', got '{Current.Describe()}'", Current);
                        }
                        var target = ParseAssignTarget();
                        var body = ParseStatements(["endload"], true);
                        Expect(TokenType.BlockEnd);
                        return At(new SaltLoadStmt(target, body, t.Value[5..]), t);
                    }
                default:
                    _tagStack.RemoveAt(_tagStack.Count - 1);
                    popTag = false;
                    FailUnknownTag(t.Value, t);
                    return null;
            }
        }
        finally
        {
            if (popTag)
            {
                _tagStack.RemoveAt(_tagStack.Count - 1);
            }
        }
    }

    private Stmt ParseFor()
    {
        var t = Expect(TokenType.Name, "for");
        var target = ParseAssignTarget(extraEnd: "in");
        if (!SkipName("in"))
        {
            throw Fail($"expected token 'in', got '{Current.Describe()}'", Current);
        }
        var iter = ParseTuple(withCondExpr: false, extraEnd: "recursive");
        Expr? filter = null;
        if (SkipName("if"))
        {
            filter = ParseExpression();
        }
        var recursive = SkipName("recursive");
        var body = ParseStatements(["endfor", "else"]);
        Stmt[]? otherwise = null;
        if (Next().Value == "else")
        {
            otherwise = ParseStatements(["endfor"], true);
        }
        Expect(TokenType.BlockEnd);
        return At(new ForStmt { Target = target, Iter = iter, Filter = filter, Body = body, Else = otherwise, Recursive = recursive }, t);
    }

    private Stmt ParseIf()
    {
        var t = Expect(TokenType.Name, "if");
        var branches = new List<(Expr, Stmt[])>();
        Stmt[]? otherwise = null;
        var test = ParseTuple(withCondExpr: false);
        while (true)
        {
            var body = ParseStatements(["elif", "else", "endif"]);
            branches.Add((test, body));
            var tok = Next();
            if (tok.Value == "elif")
            {
                test = ParseTuple(withCondExpr: false);
                continue;
            }
            if (tok.Value == "else")
            {
                otherwise = ParseStatements(["endif"], true);
            }
            break;
        }
        Expect(TokenType.BlockEnd);
        return At(new IfStmt(branches.ToArray(), otherwise), t);
    }

    private Stmt ParseSet()
    {
        var t = Expect(TokenType.Name, "set");
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipOp("="))
        {
            var value = ParseTuple();
            Expect(TokenType.BlockEnd);
            return At(new SetStmt(target, value), t);
        }
        var filter = ParseFilterChain();
        var body = ParseStatements(["endset"], true);
        Expect(TokenType.BlockEnd);
        return At(new SetBlockStmt(target, body, filter), t);
    }

    private FilterChain? ParseFilterChain()
    {
        var filters = new List<FilterExpr>();
        while (SkipOp("|"))
        {
            filters.Add(ParseFilterTail(null));
        }
        return filters.Count == 0 ? null : new FilterChain(filters.ToArray());
    }

    private Stmt ParseFilterBlock()
    {
        var t = Expect(TokenType.Name, "filter");
        var filters = new List<FilterExpr> { ParseFilterTail(null) };
        while (SkipOp("|"))
        {
            filters.Add(ParseFilterTail(null));
        }
        var body = ParseStatements(["endfilter"], true);
        Expect(TokenType.BlockEnd);
        return At(new FilterBlockStmt(body, new FilterChain(filters.ToArray())), t);
    }

    private (string[] Names, Expr?[] Defaults) ParseSignature()
    {
        var names = new List<string>();
        var defaults = new List<Expr?>();
        Expect(TokenType.Operator, "(");
        while (!Current.IsOp(")"))
        {
            if (names.Count > 0)
            {
                Expect(TokenType.Operator, ",");
                if (Current.IsOp(")"))
                {
                    break;
                }
            }
            var nameTok = Expect(TokenType.Name);
            names.Add(nameTok.Value);
            if (SkipOp("="))
            {
                defaults.Add(ParseExpression());
            }
            else
            {
                if (defaults.Any(d => d is not null))
                {
                    throw Fail("non-default argument follows default argument", nameTok);
                }
                defaults.Add(null);
            }
        }
        Expect(TokenType.Operator, ")");
        return (names.ToArray(), defaults.ToArray());
    }

    private MacroDef BuildMacro(string name, string[] args, Expr?[] defaults, Stmt[] body)
    {
        var def = new MacroDef { Name = name, Params = args, Defaults = defaults, Body = body, TemplateName = _name };
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Node>(body);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is NameExpr n)
            {
                referenced.Add(n.Name);
            }
            foreach (var child in node.Children())
            {
                stack.Push(child);
            }
        }
        def.UsesCaller = referenced.Contains("caller") && !args.Contains("caller");
        def.UsesVarargs = referenced.Contains("varargs") && !args.Contains("varargs");
        def.UsesKwargs = referenced.Contains("kwargs") && !args.Contains("kwargs");
        return def;
    }

    private Stmt ParseMacro()
    {
        var t = Expect(TokenType.Name, "macro");
        var name = Expect(TokenType.Name).Value;
        var (args, defaults) = ParseSignature();
        var body = ParseStatements(["endmacro"], true);
        Expect(TokenType.BlockEnd);
        return At(new MacroStmt(BuildMacro(name, args, defaults, body)), t);
    }

    private Stmt ParseCallBlock()
    {
        var t = Expect(TokenType.Name, "call");
        string[] args = [];
        Expr?[] defaults = [];
        if (Current.IsOp("("))
        {
            (args, defaults) = ParseSignature();
        }
        var callTok = Current;
        var expr = ParseExpression();
        if (expr is not CallExpr call)
        {
            throw Fail("expected call", callTok);
        }
        var body = ParseStatements(["endcall"], true);
        Expect(TokenType.BlockEnd);
        return At(new CallBlockStmt(call, BuildMacro("caller", args, defaults, body)), t);
    }

    private Stmt ParseBlock()
    {
        var t = Expect(TokenType.Name, "block");
        var name = Expect(TokenType.Name).Value;
        var scoped = SkipName("scoped");
        SkipName("required");
        var body = ParseStatements(["endblock"], true);
        if (Current.Type == TokenType.Name && Current.Value == name)
        {
            Next();
        }
        Expect(TokenType.BlockEnd);
        return At(new BlockStmt(body, scoped), t);
    }

    private bool ParseContextModifier(bool defaultValue)
    {
        if ((Current.IsName("with") || Current.IsName("without")) && Peek().IsName("context"))
        {
            var with = Next().Value == "with";
            Next();
            return with;
        }
        return defaultValue;
    }

    private Stmt ParseInclude()
    {
        var t = Expect(TokenType.Name, "include");
        var template = ParseExpression();
        var ignoreMissing = false;
        if (Current.IsName("ignore") && Peek().IsName("missing"))
        {
            Next();
            Next();
            ignoreMissing = true;
        }
        var withContext = ParseContextModifier(true);
        Expect(TokenType.BlockEnd);
        return At(new IncludeStmt(template, ignoreMissing, withContext), t);
    }

    private Stmt ParseImport()
    {
        var t = Expect(TokenType.Name, "import");
        var template = ParseExpression();
        if (!SkipName("as"))
        {
            throw Fail($"expected token 'as', got '{Current.Describe()}'", Current);
        }
        var alias = Expect(TokenType.Name).Value;
        var withContext = ParseContextModifier(false);
        Expect(TokenType.BlockEnd);
        return At(new ImportStmt(template, alias, withContext), t);
    }

    private Stmt ParseFrom()
    {
        var t = Expect(TokenType.Name, "from");
        var template = ParseExpression();
        if (!SkipName("import"))
        {
            throw Fail($"expected token 'import', got '{Current.Describe()}'", Current);
        }
        var names = new List<(string, string)>();
        var withContext = false;
        while (true)
        {
            if (names.Count > 0 && !SkipOp(","))
            {
                break;
            }
            if ((Current.IsName("with") || Current.IsName("without")) && Peek().IsName("context"))
            {
                withContext = ParseContextModifier(false);
                break;
            }
            if (Current.Type != TokenType.Name)
            {
                break;
            }
            var nameTok = Next();
            if (nameTok.Value.StartsWith('_'))
            {
                throw Fail("names starting with an underline can not be imported", nameTok);
            }
            var alias = nameTok.Value;
            if (SkipName("as"))
            {
                alias = Expect(TokenType.Name).Value;
            }
            names.Add((nameTok.Value, alias));
            if ((Current.IsName("with") || Current.IsName("without")) && Peek().IsName("context"))
            {
                withContext = ParseContextModifier(false);
                break;
            }
        }
        if (names.Count == 0)
        {
            throw Fail($"expected token 'name', got '{Current.Describe()}'", Current);
        }
        Expect(TokenType.BlockEnd);
        return At(new FromImportStmt(template, names.ToArray(), withContext), t);
    }

    private Stmt ParseWith()
    {
        var t = Expect(TokenType.Name, "with");
        var assignments = new List<(Target, Expr)>();
        while (Current.Type != TokenType.BlockEnd)
        {
            if (assignments.Count > 0)
            {
                Expect(TokenType.Operator, ",");
            }
            var target = ParseAssignTarget();
            Expect(TokenType.Operator, "=");
            assignments.Add((target, ParseExpression()));
        }
        var body = ParseStatements(["endwith"], true);
        Expect(TokenType.BlockEnd);
        return At(new WithStmt(assignments.ToArray(), body), t);
    }

    private Target ParseAssignTarget(string? extraEnd = null, bool withNamespace = false)
    {
        var t = Current;
        if (withNamespace && t.Type == TokenType.Name && Peek().IsOp("."))
        {
            Next();
            Next();
            var attr = Expect(TokenType.Name).Value;
            return At(new NamespaceTarget(t.Value, attr), t);
        }
        var items = new List<Target>();
        var isTuple = false;
        var parens = SkipOp("(");
        while (true)
        {
            if (items.Count > 0)
            {
                if (!SkipOp(","))
                {
                    break;
                }
                isTuple = true;
            }
            if (Current.Type == TokenType.BlockEnd || (extraEnd is not null && Current.IsName(extraEnd)) || Current.IsOp("=") || Current.IsOp(")") || Current.IsOp("|"))
            {
                break;
            }
            if (Current.IsOp("("))
            {
                items.Add(ParseAssignTarget(extraEnd));
                continue;
            }
            var nameTok = Current;
            if (nameTok.Type != TokenType.Name)
            {
                throw Fail($"can't assign to '{nameTok.Describe()}'", nameTok);
            }
            if (nameTok.Value is "true" or "false" or "none" or "True" or "False" or "None")
            {
                throw Fail($"can't assign to '{nameTok.Value}'", nameTok);
            }
            Next();
            items.Add(At(new NameTarget(nameTok.Value), nameTok));
        }
        if (parens)
        {
            Expect(TokenType.Operator, ")");
            isTuple = true;
        }
        if (items.Count == 0)
        {
            throw Fail($"expected token 'name', got '{Current.Describe()}'", Current);
        }
        return !isTuple && items.Count == 1 ? items[0] : At(new TupleTarget(items.ToArray()), t);
    }

    // ---- expressions ----
    private Expr ParseTuple(bool withCondExpr = true, string? extraEnd = null, bool explicitParens = false)
    {
        var t = Current;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                if (!SkipOp(","))
                {
                    break;
                }
                isTuple = true;
            }
            if (IsTupleEnd(extraEnd))
            {
                break;
            }
            items.Add(withCondExpr ? ParseExpression() : ParseOr());
        }
        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }
            if (!explicitParens)
            {
                throw Fail($"Expected an expression, got '{Current.Describe()}'", Current);
            }
        }
        return At(new TupleExpr(items.ToArray()), t);
    }

    private bool IsTupleEnd(string? extraEnd)
    {
        var c = Current;
        if (c.Type is TokenType.VariableEnd or TokenType.BlockEnd or TokenType.Eof)
        {
            return true;
        }
        if (c.IsOp(")") || c.IsOp("]") || c.IsOp("}"))
        {
            return true;
        }
        return extraEnd is not null && c.IsName(extraEnd);
    }

    private Expr ParseExpression(bool withCondExpr = true)
    {
        if (!withCondExpr)
        {
            return ParseOr();
        }
        var t = Current;
        var expr = ParseOr();
        while (SkipName("if"))
        {
            var test = ParseOr();
            Expr? otherwise = null;
            if (SkipName("else"))
            {
                otherwise = ParseExpression();
            }
            expr = At(new CondExpr(test, expr, otherwise), t);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var t = Current;
        Nest(t);
        var left = ParseAnd();
        while (SkipName("or"))
        {
            left = At(new OrExpr(left, ParseAnd()), t);
        }
        _nesting--;
        return left;
    }

    private Expr ParseAnd()
    {
        var t = Current;
        var left = ParseNot();
        while (SkipName("and"))
        {
            left = At(new AndExpr(left, ParseNot()), t);
        }
        return left;
    }

    private Expr ParseNot()
    {
        var t = Current;
        if (SkipName("not"))
        {
            Nest(t);
            var operand = ParseNot();
            _nesting--;
            return At(new UnaryExpr("not", operand), t);
        }
        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        var t = Current;
        var expr = ParseMath1();
        var ops = new List<(string, Expr)>();
        while (true)
        {
            var c = Current;
            if (c.Type == TokenType.Operator && _compareOps.Contains(c.Value))
            {
                Next();
                ops.Add((c.Value, ParseMath1()));
            }
            else if (c.IsName("in"))
            {
                Next();
                ops.Add(("in", ParseMath1()));
            }
            else if (c.IsName("not") && Peek().IsName("in"))
            {
                Next();
                Next();
                ops.Add(("notin", ParseMath1()));
            }
            else
            {
                break;
            }
        }
        return ops.Count == 0 ? expr : At(new CompareExpr(expr, ops.ToArray()), t);
    }

    private Expr ParseMath1()
    {
        var t = Current;
        var left = ParseConcat();
        while (Current.IsOp("+") || Current.IsOp("-"))
        {
            var op = Next().Value;
            left = At(new BinaryExpr(op, left, ParseConcat()), t);
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var t = Current;
        var parts = new List<Expr> { ParseMath2() };
        while (SkipOp("~"))
        {
            parts.Add(ParseMath2());
        }
        return parts.Count == 1 ? parts[0] : At(new ConcatExpr(parts.ToArray()), t);
    }

    private Expr ParseMath2()
    {
        var t = Current;
        var left = ParsePow();
        while (Current.IsOp("*") || Current.IsOp("/") || Current.IsOp("//") || Current.IsOp("%"))
        {
            var op = Next().Value;
            left = At(new BinaryExpr(op, left, ParsePow()), t);
        }
        return left;
    }

    private Expr ParsePow()
    {
        var t = Current;
        var left = ParseUnary();
        while (SkipOp("**"))
        {
            left = At(new BinaryExpr("**", left, ParseUnary()), t);
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        var t = Current;
        Expr node;
        if (SkipOp("-") || SkipOp("+"))
        {
            Nest(t);
            node = At(new UnaryExpr(t.Value, ParseUnary(false)), t);
            _nesting--;
        }
        else
        {
            node = ParsePrimary();
        }
        node = ParsePostfix(node);
        if (withFilter)
        {
            node = ParseFilterExpr(node);
        }
        return node;
    }

    private Expr ParsePrimary()
    {
        var t = Current;
        switch (t.Type)
        {
            case TokenType.Name:
                Next();
                return t.Value switch
                {
                    "true" or "True" => At(new ConstExpr(true), t),
                    "false" or "False" => At(new ConstExpr(false), t),
                    "none" or "None" => At(new ConstExpr(null), t),
                    _ => At(new NameExpr(t.Value), t),
                };
            case TokenType.String:
                {
                    Next();
                    var s = (string)t.Literal!;
                    while (Current.Type == TokenType.String)
                    {
                        s += (string)Next().Literal!;
                    }
                    return At(new ConstExpr(s), t);
                }
            case TokenType.Integer:
            case TokenType.Float:
                Next();
                return At(new ConstExpr(t.Literal), t);
            case TokenType.Operator when t.Value == "(":
                {
                    Next();
                    var expr = ParseTuple(explicitParens: true);
                    Expect(TokenType.Operator, ")");
                    return expr;
                }
            case TokenType.Operator when t.Value == "[":
                {
                    Next();
                    var items = new List<Expr>();
                    while (!Current.IsOp("]"))
                    {
                        if (items.Count > 0)
                        {
                            Expect(TokenType.Operator, ",");
                            if (Current.IsOp("]"))
                            {
                                break;
                            }
                        }
                        items.Add(ParseExpression());
                    }
                    Expect(TokenType.Operator, "]");
                    return At(new ListExpr(items.ToArray()), t);
                }
            case TokenType.Operator when t.Value == "{":
                {
                    Next();
                    var pairs = new List<(Expr, Expr)>();
                    while (!Current.IsOp("}"))
                    {
                        if (pairs.Count > 0)
                        {
                            Expect(TokenType.Operator, ",");
                            if (Current.IsOp("}"))
                            {
                                break;
                            }
                        }
                        var key = ParseExpression();
                        Expect(TokenType.Operator, ":");
                        pairs.Add((key, ParseExpression()));
                    }
                    Expect(TokenType.Operator, "}");
                    return At(new DictExpr(pairs.ToArray()), t);
                }
            case TokenType.Eof:
                throw Fail("unexpected end of template, expected an expression.", t);
            default:
                throw Fail($"unexpected '{t.Describe()}'", t);
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var t = Current;
            if (t.IsOp(".") || t.IsOp("["))
            {
                node = ParseSubscript(node);
            }
            else if (t.IsOp("("))
            {
                node = At(new CallExpr(node, ParseCallArgs()), t);
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            var t = Current;
            if (t.IsOp("|"))
            {
                Next();
                node = ParseFilterTail(node);
            }
            else if (t.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (t.IsOp("("))
            {
                node = At(new CallExpr(node, ParseCallArgs()), t);
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        var t = Next();
        if (t.Value == ".")
        {
            var attr = Next();
            if (attr.Type == TokenType.Name)
            {
                return At(new GetAttrExpr(node, attr.Value), attr);
            }
            if (attr.Type == TokenType.Integer)
            {
                return At(new GetItemExpr(node, new ConstExpr(attr.Literal)), attr);
            }
            throw Fail("expected name or number", attr);
        }
        var args = new List<Expr>();
        while (!Current.IsOp("]"))
        {
            if (args.Count > 0)
            {
                Expect(TokenType.Operator, ",");
                if (Current.IsOp("]"))
                {
                    break;
                }
            }
            args.Add(ParseSubscribed());
        }
        Expect(TokenType.Operator, "]");
        var key = args.Count == 1 ? args[0] : At(new TupleExpr(args.ToArray()), t);
        return At(new GetItemExpr(node, key), t);
    }

    private Expr ParseSubscribed()
    {
        var t = Current;
        Expr? start = null;
        if (!Current.IsOp(":"))
        {
            start = ParseExpression();
            if (!Current.IsOp(":"))
            {
                return start;
            }
        }
        Next();
        Expr? stop = null;
        Expr? step = null;
        if (!Current.IsOp("]") && !Current.IsOp(",") && !Current.IsOp(":"))
        {
            stop = ParseExpression();
        }
        if (SkipOp(":"))
        {
            if (!Current.IsOp("]") && !Current.IsOp(","))
            {
                step = ParseExpression();
            }
        }
        return At(new SliceExpr(start, stop, step), t);
    }

    private ArgList ParseCallArgs()
    {
        var open = Expect(TokenType.Operator, "(");
        var args = new List<Expr>();
        var kwargs = new List<(string, Expr)>();
        Expr? dynArgs = null;
        Expr? dynKwargs = null;
        var first = true;
        while (!Current.IsOp(")"))
        {
            if (!first)
            {
                Expect(TokenType.Operator, ",");
                if (Current.IsOp(")"))
                {
                    break;
                }
            }
            first = false;
            if (SkipOp("*"))
            {
                dynArgs = ParseExpression();
            }
            else if (SkipOp("**"))
            {
                dynKwargs = ParseExpression();
            }
            else if (Current.Type == TokenType.Name && Peek().IsOp("="))
            {
                var key = Next().Value;
                Next();
                kwargs.Add((key, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0 || dynArgs is not null || dynKwargs is not null)
                {
                    throw Fail("Invalid argument syntax", Current);
                }
                args.Add(ParseExpression());
            }
        }
        Expect(TokenType.Operator, ")");
        _ = open;
        return new ArgList(args.ToArray(), kwargs.ToArray(), dynArgs, dynKwargs);
    }

    private string ParseDottedName()
    {
        var name = Expect(TokenType.Name).Value;
        while (Current.IsOp(".") && Peek().Type == TokenType.Name)
        {
            Next();
            name += "." + Next().Value;
        }
        return name;
    }

    private FilterExpr ParseFilterTail(Expr? node)
    {
        var t = Current;
        var name = ParseDottedName();
        var args = Current.IsOp("(") ? ParseCallArgs() : ArgList.Empty;
        if (!_env.TryGetFilter(name, out var impl))
        {
            throw Fail($"No filter named '{name}'.", t);
        }
        return At(new FilterExpr(node, name, impl, args), t);
    }

    private Expr ParseTest(Expr node)
    {
        var isTok = Next();
        var negated = SkipName("not");
        var t = Current;
        var name = ParseDottedName();
        ArgList args;
        var c = Current;
        if (c.IsOp("("))
        {
            args = ParseCallArgs();
        }
        else if ((c.Type is TokenType.Name or TokenType.String or TokenType.Integer or TokenType.Float || c.IsOp("[") || c.IsOp("{"))
                 && !c.IsName("else") && !c.IsName("or") && !c.IsName("and"))
        {
            if (c.IsName("is"))
            {
                throw Fail("You cannot chain multiple tests with is", c);
            }
            var arg = ParsePostfix(ParsePrimary());
            args = new ArgList([arg], [], null, null);
        }
        else
        {
            args = ArgList.Empty;
        }
        if (!_env.TryGetTest(name, out var impl))
        {
            throw Fail($"No test named '{name}'.", t);
        }
        _ = isTok;
        return At(new TestExpr(node, name, impl, args, negated), t);
    }
}

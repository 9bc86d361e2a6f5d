namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches a compound target: other target forms combined with <c>and</c>, <c>or</c>, <c>not</c> and parentheses.</summary>
/// <remarks>
/// <para>Words are separated by whitespace, and so must parentheses be: <c>( web* or db* ) and G@os:Debian</c>. A word is
/// a glob on the id unless it carries a prefix: <c>G@</c> grain, <c>P@</c> grain PCRE, <c>I@</c> pillar, <c>J@</c> pillar
/// PCRE, <c>L@</c> list, <c>E@</c> id PCRE, <c>S@</c> subnet/address, <c>N@</c> nodegroup. Grain and pillar prefixes take
/// an alternate delimiter between the letter and the <c>@</c>: <c>G|@key|value</c>.</para>
/// <para>Precedence is Python's, because Salt evaluates the compound as a Python boolean expression: <c>not</c> binds
/// tighter than <c>and</c>, which binds tighter than <c>or</c>. As in Salt, <c>not</c> directly after a target means
/// <c>and not</c> (<c>web* not web3</c>), and a leading <c>not</c> is allowed.</para>
/// <para><c>N@name</c> is replaced by the nodegroup's definition in parentheses. A nodegroup is a compound string or a
/// list of words; a definition without operators or prefixes (<c>[web1, web2]</c>, <c>"web1 web2"</c>) is a list of ids
/// (or of globs, when they contain wildcards) that matches if any entry does. Nodegroups may reference each other with
/// <c>N@</c>; a cycle is an error.</para>
/// </remarks>
public sealed class CompoundMatcher : ITargetMatcher
{
    private static readonly string[] _operators = ["and", "or", "not", "(", ")"];

    private readonly ITargetMatcher _root;

    /// <summary>Compiles a compound expression.</summary>
    /// <param name="expression">The compound expression, words separated by whitespace.</param>
    /// <param name="nodegroups">The master's <c>nodegroups</c> configuration (name to compound string or list of words), used by <c>N@</c>.</param>
    /// <exception cref="TargetException">The expression is invalid: empty, unbalanced parentheses, missing operand or operator,
    /// unknown prefix, invalid regex or CIDR, unknown or cyclic nodegroup.</exception>
    public CompoundMatcher(string expression, IReadOnlyDictionary<string, object?>? nodegroups = null)
        : this(expression ?? throw new ArgumentNullException(nameof(expression)), SplitWords(expression), nodegroups)
    {
    }

    /// <summary>Compiles a compound expression given as a list of words (each word is one token, never split further).</summary>
    /// <exception cref="TargetException">The expression is invalid.</exception>
    public CompoundMatcher(IEnumerable<string> words, IReadOnlyDictionary<string, object?>? nodegroups = null)
        : this(null, (words ?? throw new ArgumentNullException(nameof(words))).ToList(), nodegroups)
    {
    }

    private CompoundMatcher(string? expression, List<string> words, IReadOnlyDictionary<string, object?>? nodegroups)
    {
        Expression = expression ?? string.Join(" ", words);
        if (words.Count == 0)
        {
            throw new TargetException("Compound target is empty.");
        }
        var tokens = new List<Token>();
        Expand(words, nodegroups, [], tokens);
        _root = new Parser(Expression, tokens).ParseAll();
    }

    /// <summary>Compiles the definition of nodegroup <paramref name="name"/> (what <c>-N name</c> targets).</summary>
    /// <exception cref="TargetException">The nodegroup is unknown, cyclic or its definition is invalid.</exception>
    public static CompoundMatcher ForNodegroup(string name, IReadOnlyDictionary<string, object?>? nodegroups)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new TargetException("Nodegroup name is empty.");
        }
        return new CompoundMatcher(null, ["N@" + trimmed], nodegroups);
    }

    /// <summary>The expression as given (words joined with spaces when given as a list).</summary>
    public string Expression { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _root.Matches(facts);

    /// <inheritdoc />
    public override string ToString() => Expression;

    private static List<string> SplitWords(string expression) =>
        [.. expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];

    private static bool IsOperator(string word) => _operators.Contains(word);

    private readonly record struct Token(string Text, ITargetMatcher? Matcher)
    {
        public bool Is(string op) => Matcher is null && Text == op;

        public bool IsOperator => Matcher is null && CompoundMatcher.IsOperator(Text);
    }

    private static void Expand(
        IEnumerable<string> words,
        IReadOnlyDictionary<string, object?>? nodegroups,
        List<string> path,
        List<Token> output)
    {
        foreach (var word in words)
        {
            if (word.Length >= 3 && word.StartsWith("N@", StringComparison.Ordinal))
            {
                ExpandNodegroup(word[2..], nodegroups, path, output);
            }
            else
            {
                output.Add(new Token(word, null));
            }
        }
    }

    private static void ExpandNodegroup(
        string name,
        IReadOnlyDictionary<string, object?>? nodegroups,
        List<string> path,
        List<Token> output)
    {
        if (path.Contains(name))
        {
            throw new TargetException($"Nodegroup cycle detected: {string.Join(" -> ", path)} -> {name}.");
        }
        if (nodegroups is null || !nodegroups.TryGetValue(name, out var definition))
        {
            throw new TargetException($"Unknown nodegroup '{name}'.");
        }
        List<string> words = definition switch
        {
            string s => SplitWords(s),
            IEnumerable<object?> list => [.. list.Select(item => item as string ?? Output.PyFormat.Str(item))],
            _ => throw new TargetException($"Nodegroup '{name}' must be a compound string or a list, not {Output.PyFormat.Repr(definition)}."),
        };
        if (words.Count == 0)
        {
            throw new TargetException($"Nodegroup '{name}' is empty.");
        }

        if (!words.Any(w => IsOperator(w) || HasPrefix(w)))
        {
            // A bare list of ids (Salt turns it into L@a,b,c); entries with wildcards are globs.
            ITargetMatcher matcher = words.Any(w => w.AsSpan().IndexOfAny('*', '?', '[') >= 0)
                ? new OrMatcher([.. words.Select(w => new GlobMatcher(w))])
                : new ListMatcher(words);
            output.Add(new Token($"N@{name}", matcher));
            return;
        }

        path.Add(name);
        output.Add(new Token("(", null));
        Expand(words, nodegroups, path, output);
        output.Add(new Token(")", null));
        path.RemoveAt(path.Count - 1);
    }

    private static bool HasPrefix(string word) =>
        word.Length >= 2 && char.IsAsciiLetterUpper(word[0]) && (word[1] == '@' || (word.Length >= 3 && word[2] == '@'));

    private static ITargetMatcher CompileWord(string word)
    {
        if (word.Length >= 2 && char.IsAsciiLetterUpper(word[0]))
        {
            var engine = word[0];
            char? delimiter = null;
            string? pattern = null;
            if (word[1] == '@')
            {
                pattern = word[2..];
            }
            else if (word.Length >= 3 && word[2] == '@' && engine is 'G' or 'P' or 'I' or 'J')
            {
                delimiter = word[1];
                pattern = word[3..];
            }
            if (pattern is not null)
            {
                if (pattern.Length == 0)
                {
                    throw new TargetException($"Compound target word '{word}' has no pattern after '{word[..(delimiter is null ? 2 : 3)]}'.");
                }
                var delim = delimiter ?? ':';
                return engine switch
                {
                    'G' => new GrainMatcher(pattern, delim),
                    'P' => new GrainPcreMatcher(pattern, delim),
                    'I' => new PillarMatcher(pattern, delim),
                    'J' => new PillarPcreMatcher(pattern, delim),
                    'L' => new ListMatcher(pattern),
                    'E' => new PcreMatcher(pattern),
                    'S' => new SubnetMatcher(pattern),
                    'R' => throw new TargetException($"Range targeting ('R@') is not supported: '{word}'."),
                    _ => throw new TargetException(
                        $"Unknown target prefix '{engine}@' in '{word}'; expected one of G@, P@, I@, J@, L@, E@, S@, N@."),
                };
            }
        }
        if ((word.StartsWith('(') || word.EndsWith(')')) && word.Length > 1)
        {
            throw new TargetException(
                $"Parentheses in compound targets must be separated from other words by spaces: '{word}'.");
        }
        return new GlobMatcher(word);
    }

    private sealed class Parser(string expression, List<Token> tokens)
    {
        private readonly List<Token> _tokens = InsertImplicitAnd(tokens);
        private int _position;

        public ITargetMatcher ParseAll()
        {
            var result = ParseOr();
            if (_position < _tokens.Count)
            {
                var token = _tokens[_position];
                if (token.Is(")"))
                {
                    throw Error("unbalanced parentheses: unexpected ')'");
                }
                throw Error($"missing operator between '{_tokens[_position - 1].Text}' and '{token.Text}'");
            }
            return result;
        }

        // Salt inserts "and" before a "not" that follows a target or ')' ("web* not web3").
        private static List<Token> InsertImplicitAnd(List<Token> tokens)
        {
            var result = new List<Token>(tokens.Count);
            foreach (var token in tokens)
            {
                if (token.Is("not") && result.Count > 0)
                {
                    var previous = result[^1];
                    if (!previous.IsOperator || previous.Is(")"))
                    {
                        result.Add(new Token("and", null));
                    }
                }
                result.Add(token);
            }
            return result;
        }

        private ITargetMatcher ParseOr()
        {
            var operands = new List<ITargetMatcher> { ParseAnd() };
            while (Peek("or"))
            {
                _position++;
                operands.Add(ParseAnd());
            }
            return operands.Count == 1 ? operands[0] : new OrMatcher([.. operands]);
        }

        private ITargetMatcher ParseAnd()
        {
            var operands = new List<ITargetMatcher> { ParseNot() };
            while (Peek("and"))
            {
                _position++;
                operands.Add(ParseNot());
            }
            return operands.Count == 1 ? operands[0] : new AndMatcher([.. operands]);
        }

        private ITargetMatcher ParseNot()
        {
            if (Peek("not"))
            {
                _position++;
                return new NotMatcher(ParseNot());
            }
            return ParseAtom();
        }

        private ITargetMatcher ParseAtom()
        {
            if (_position >= _tokens.Count)
            {
                throw _position == 0
                    ? Error("it is empty")
                    : Error($"it ends after '{_tokens[_position - 1].Text}' where a target was expected");
            }
            var token = _tokens[_position++];
            if (token.Matcher is not null)
            {
                return token.Matcher;
            }
            switch (token.Text)
            {
                case "(":
                    if (Peek(")"))
                    {
                        throw Error("empty parentheses '( )'");
                    }
                    var inner = ParseOr();
                    if (!Peek(")"))
                    {
                        throw _position >= _tokens.Count
                            ? Error("unbalanced parentheses: missing ')'")
                            : Error($"missing operator between '{_tokens[_position - 1].Text}' and '{_tokens[_position].Text}'");
                    }
                    _position++;
                    return inner;
                case ")":
                    throw _position == 1
                        ? Error("unbalanced parentheses: unexpected ')'")
                        : Error($"unexpected ')' after '{_tokens[_position - 2].Text}'");
                case "and" or "or":
                    throw _position == 1
                        ? Error($"it cannot begin with the operator '{token.Text}'")
                        : Error($"operator '{token.Text}' after '{_tokens[_position - 2].Text}' where a target was expected");
                default:
                    return CompileWord(token.Text);
            }
        }

        private bool Peek(string op) => _position < _tokens.Count && _tokens[_position].Is(op);

        private TargetException Error(string problem) => new($"Invalid compound target '{expression}': {problem}.");
    }
}

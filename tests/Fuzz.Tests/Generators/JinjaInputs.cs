using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orchestrator.Fuzz.Tests.Harness;

namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>
/// Jinja templates: mutated seeds (the Salt template corpus, the repository's SLS files), random programs from a small
/// grammar (expressions over every filter, test, method and operator, with extreme numbers), and nesting bombs.
/// </summary>
public static class JinjaInputs
{
    /// <summary>Filter and test names (Jinja2's and Salt's), and a few that do not exist.</summary>
    public static readonly string[] Filters =
    [
        "abs", "attr('x')", "avg", "base64_decode", "base64_encode", "batch(2)", "capitalize", "center", "count", "d", "default",
        "dict", "dictsort", "difference([1])", "e", "escape", "filesizeformat", "first", "flatten", "float", "forceescape", "format",
        "groupby('a')", "human_to_bytes", "indent", "int", "intersect([1])", "is_ip", "items", "join", "json", "last", "length",
        "list", "load_json", "load_yaml", "lower", "map('upper')", "max", "md5", "min", "path_join", "pprint", "python", "quote",
        "random", "regex_escape", "regex_match('a')", "regex_replace('a', 'b')", "regex_search('(a)')", "reject", "rejectattr('a')",
        "replace('a', 'b')", "reverse", "round", "safe", "select", "selectattr('a')", "sequence", "sha256", "slice", "sort", "string",
        "striptags", "sum", "symmetric_difference([1])", "title", "to_bool", "to_num", "tojson", "trim", "truncate", "union([1])",
        "unique", "upper", "urlencode", "wordcount", "wordwrap", "xmlattr", "yaml", "yaml_dquote", "yaml_encode", "yaml_squote",
        "strftime", "nope",
    ];

    /// <summary>Test names after <c>is</c>.</summary>
    public static readonly string[] Tests =
    [
        "defined", "undefined", "none", "number", "string", "mapping", "iterable", "sequence", "callable", "sameas(1)", "even", "odd",
        "divisibleby(0)", "divisibleby(3)", "in([1])", "eq(1)", "lt(2)", "match('a')", "is_ip", "is_list", "true", "false", "escaped",
        "nope",
    ];

    /// <summary>Methods after a dot.</summary>
    public static readonly string[] Methods =
    [
        "upper()", "lower()", "split()", "split(',')", "split(',', -1)", "rsplit(',', 1)", "strip()", "startswith('a')", "format(1, 2)",
        "replace('a', 'b')", "join(['a'])", "center({n})", "ljust({n})", "rjust({n})", "zfill({n})", "count('a')", "find('a')",
        "index('z')", "append({e})", "extend({e})", "insert({n}, 1)", "pop()", "pop({n})", "remove(1)", "update({e})", "items()",
        "keys()", "values()", "get('a')", "setdefault('k', {e})", "copy()", "sort()", "reverse()", "encode()", "partition(',')",
        "expandtabs({n})", "splitlines()", "title()", "isdigit()", "__class__", "x", "a.b.c",
    ];

    /// <summary>Tokens the mutator inserts into seeds.</summary>
    public static readonly string[] Dictionary =
    [
        "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "(", ")", "[", "]", "{", "}", ",", ".", "|", ":", "=", "~", "*",
        "**", "//", "%", "+", "-", "'", "\"", "\\", " if ", " else ", " and ", " or ", " not ", " in ", " is ", "for x in y", "endfor",
        "if x", "endif", "elif", "else", "set x = ", "endset", "macro m(a, b=1)", "endmacro", "call m(1)", "endcall", "filter upper",
        "endfilter", "raw", "endraw", "with", "endwith", "include 'x'", "import 'x' as y", "from 'x' import y", "do x.append(1)",
        "break", "continue", "loop.index", "loop.cycle(1, 2)", "caller()", "varargs", "kwargs", "super()", "self", "range(3)",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e308", "0x10", "1_000", "2000000000", "'%s'", "'{}'",
        "'%999999999d'", "none", "None", "true", "False", "grains", "pillar", "salt", "opts", "\n", "\t", "\r\n",
    ];

    private static readonly string[] _snippets =
    [
        "{% for x in range(3) %}{{ loop.index }}{% endfor %}",
        "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ caller() if caller }}{% endmacro %}{% call m(1) %}c{% endcall %}",
        "{% set ns = namespace(x=1) %}{% set ns.x = ns.x + 1 %}{{ ns.x }}",
        "{% filter upper %}abc{% endfilter %}{% raw %}{{ x }}{% endraw %}",
        "{{ grains['os'] ~ ' ' ~ pillar.get('web', {}).port|default(80) }}",
        "{% for k, v in pillar.items()|sort %}{{ k }}: {{ v|tojson }}\n{% else %}none{% endfor %}",
        "{{ '%s-%d' % ('a', 1) }} {{ '{:>8}'.format('x') }} {{ [1, 2, 3][1:] }} {{ {'a': 1}|dictsort }}",
    ];

    private static readonly Lazy<string[]> _seeds = new(() => [.. _snippets, .. Corpus.Templates, .. Corpus.Sls]);

    /// <summary>Mutated seeds, random programs and nesting bombs.</summary>
    public static Gen<TextInput> Templates() => Gen.Choose(0, int.MaxValue).Select(seed =>
    {
        var random = new Random(seed);
        var seeds = _seeds.Value;
        return new TextInput(random.Next(10) switch
        {
            0 or 1 or 2 => TextMutator.Mutate(seeds[random.Next(seeds.Length)], random, Dictionary, seeds),
            3 => Nested(random),
            _ => Program(random),
        });
    });

    /// <summary>A random template from the grammar: a few statements around random expressions.</summary>
    public static string Program(Random random)
    {
        var sb = new StringBuilder();
        var statements = random.Next(1, 5);
        for (var i = 0; i < statements; i++)
        {
            var e = Expr(random, 3);
            sb.Append(random.Next(7) switch
            {
                0 => $"{{% set v{i} = {e} %}}{{{{ v{i} }}}}",
                1 => $"{{% if {e} %}}y{{% else %}}n{{% endif %}}",
                2 => $"{{% for x in {e} %}}{{{{ x }}}}{{% endfor %}}",
                3 => $"{{% macro m{i}(a) %}}{{{{ {e} }}}}{{% endmacro %}}{{{{ m{i}({Expr(random, 1)}) }}}}",
                4 => $"{{% do {e} %}}",
                _ => $"{{{{ {e} }}}}",
            });
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Expr(Random random, int depth)
    {
        if (depth <= 0)
        {
            return Atom(random);
        }
        var a = Expr(random, depth - 1);
        return random.Next(9) switch
        {
            0 => $"{a} {Pick(random, ["+", "-", "*", "/", "//", "%", "**", "~", "and", "or", "in", "not in", "==", "!=", "<", ">="])} {Expr(random, depth - 1)}",
            1 => $"{a}|{Pick(random, Filters).Replace("{n}", Number(random), StringComparison.Ordinal)}",
            2 => $"{a}|{Pick(random, Filters)}({Number(random)})",
            3 => $"({a}).{Pick(random, Methods).Replace("{n}", Number(random), StringComparison.Ordinal).Replace("{e}", Atom(random), StringComparison.Ordinal)}",
            4 => $"{a} is {Pick(random, Tests)}",
            5 => $"({a})[{Pick(random, [Number(random), $"{Number(random)}:{Number(random)}", $"::{Number(random)}", "'a'", "-1"])}]",
            6 => $"{a} if {Expr(random, depth - 1)} else {Expr(random, depth - 1)}",
            7 => $"{Pick(random, ["not ", "-", "+"])}{a}",
            _ => $"[{a}, {Expr(random, depth - 1)}]",
        };
    }

    private static string Atom(Random random) => random.Next(12) switch
    {
        0 or 1 => Number(random),
        2 => Pick(random, ["'abc'", "''", "'a,b,,c'", "'%s %d'", "'{} {0} {x}'", "'\\n\\t'", "'ÄÖ🙂'", "'%c'", "'%*d'", "'{:>{}}'"]),
        3 => Pick(random, ["[]", "[1, 'a', none]", "[[1, 2], [3]]", "(1, 2)", "()"]),
        4 => Pick(random, ["{}", "{'a': 1, 'b': [2]}", "{'a': {'b': {'c': 1}}}"]),
        5 => Pick(random, ["none", "true", "false", "1.5", "-0.0", "1e308", "nan"]),
        6 => Pick(random, ["grains", "pillar", "grains.os", "pillar['web']", "items", "s", "n", "nope", "nope.x"]),
        7 => $"range({Number(random)})",
        8 => Pick(random, ["namespace(a=1)", "dict(a=1)", "cycler(1, 2)", "joiner(',')", "lipsum", "raise('boom')"]),
        9 => "loop",
        _ => Pick(random, ["x", "a", "v0", "m0", "caller", "varargs"]),
    };

    private static string Number(Random random) => Pick(random,
    [
        "0", "1", "2", "3", "-1", "-2", "10", "100", "65536", "2147483647", "2147483648", "2000000000", "100000", "100001",
        "9223372036854775807", "-9223372036854775808", "4611686018427387904", "99999999999999999999",
    ]);

    private static string Nested(Random random)
    {
        var depth = random.Next(10, 5000);
        string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));
        return random.Next(10) switch
        {
            0 => "{{ " + new string('(', depth) + "1" + new string(')', depth) + " }}",
            1 => "{{ " + new string('[', depth) + new string(']', depth) + " }}",
            2 => "{{ " + Repeat("{'a': ", depth) + "1" + new string('}', depth) + " }}",
            3 => "{{ " + Repeat("not ", depth) + "1 }}",
            4 => "{{ " + Repeat("-", depth) + "1 }}",
            5 => Repeat("{% if 1 %}", depth) + Repeat("{% endif %}", depth),
            6 => Repeat("{% for x in [1] %}", depth) + Repeat("{% endfor %}", depth),
            7 => "{{ 1" + Repeat("|string", depth) + " }}",
            8 => "{{ " + Repeat("f(", depth) + new string(')', depth) + " }}",
            _ => "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
        };
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];
}

using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

public class JinjaRenderCasesTests
{
    private static readonly JinjaEnvironment _env = new();

    private static Dictionary<string, object?> Context() => new()
    {
        ["users"] = new List<object?>
        {
            new Dictionary<string, object?> { ["name"] = "ann", ["age"] = 41L, ["admin"] = true },
            new Dictionary<string, object?> { ["name"] = "bob", ["age"] = 25L, ["admin"] = false },
            new Dictionary<string, object?> { ["name"] = "cid", ["age"] = 30L, ["admin"] = true },
        },
        ["d"] = new Dictionary<string, object?> { ["b"] = 2L, ["a"] = 1L },
        ["items"] = new List<object?> { 3L, 1L, 2L },
        ["s"] = "Hello World",
        ["n"] = 7L,
        ["f"] = 2.5,
        ["tree"] = new List<object?>
        {
            new Dictionary<string, object?>
            {
                ["name"] = "a",
                ["children"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["name"] = "b",
                        ["children"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "c", ["children"] = new List<object?>() } },
                    },
                },
            },
            new Dictionary<string, object?> { ["name"] = "d", ["children"] = new List<object?>() },
        },
    };

    public static TheoryData<string, string> Cases() => new()
    {
        { "{{ 1 + 2 * 3 }}", "7" },
        { "{{ 7 / 2 }}|{{ 4 / 2 }}", "3.5|2.0" },
        { "{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}", "3|-4|1|2" },
        { "{{ 2 ** 10 }}|{{ 2 ** 3 ** 2 }}", "1024|64" },
        { "{{ 0.1 + 0.2 }}|{{ 1e20 }}|{{ 1.5e-7 }}|{{ 123456789.0 }}|{{ 0.0001 }}", "0.30000000000000004|1e+20|1.5e-07|123456789.0|0.0001" },
        { "{{ 'a' ~ 1 ~ 2.0 ~ none }}", "a12.0None" },
        { "{{ [1, 'a', none, true, 1.0] }}", "[1, 'a', None, True, 1.0]" },
        { "{{ {'k': [1, 2], 'o': {'x': none}} }}", "{'k': [1, 2], 'o': {'x': None}}" },
        { "{{ (1, 2) }}|{{ (1,) }}|{{ () }}", "(1, 2)|(1,)|()" },
        { "{{ \"it's\" }}|{{ ['it\\'s'] }}|{{ ['a\\nb'] }}", "it's|[\"it's\"]|['a\\nb']" },
        { "{{ 'a\\\\b' }}|{{ \"q\\\"q\" }}|{{ '\\x41\\u0042' }}", "a\\b|q\"q|AB" },
        { "{{ true }}|{{ True }}|{{ none }}|{{ None }}|{{ false }}", "True|True|None|None|False" },
        { "{% if n > 5 %}big{% elif n > 2 %}mid{% else %}small{% endif %}", "big" },
        { "{% if n > 50 %}big{% elif n > 2 %}mid{% else %}small{% endif %}", "mid" },
        { "{% if not users %}none{% else %}{{ users|length }}{% endif %}", "3" },
        { "{% for u in users %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", "1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;" },
        { "{% for x in items %}{{ loop.cycle('odd', 'even') }} {% endfor %}", "odd even odd " },
        { "{% for x in [] %}x{% else %}empty{% endfor %}", "empty" },
        { "{% for u in users if u.admin %}{{ u.name }}{{ loop.length }} {% endfor %}", "ann2 cid2 " },
        { "{% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}", "b=2,a=1," },
        { "{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }} {% endfor %}", "3 7 " },
        { "{% for x in items %}{% if x == 1 %}{% break %}{% endif %}{{ x }}{% endfor %}", "3" },
        { "{% for x in items %}{% if x == 1 %}{% continue %}{% endif %}{{ x }}{% endfor %}", "32" },
        { "{% for x in [1, 1, 2] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", "12" },
        { "{% for x in items %}{{ loop.previtem is defined }}{{ loop.nextitem is defined }} {% endfor %}", "FalseTrue TrueTrue TrueFalse " },
        { "{% for n in tree recursive %}{{ n.name }}{% if n.children %}({{ loop(n.children) }}){% endif %}{% endfor %}", "a(b(c))d" },
        { "{% set x = 5 %}{{ x }}", "5" },
        { "{% set a, b = 1, 2 %}{{ b }}{{ a }}", "21" },
        { "{% set block %}hi {{ n }}{% endset %}[{{ block }}]", "[hi 7]" },
        { "{% set x | upper %}abc{% endset %}{{ x }}", "ABC" },
        { "{% set ns = namespace(total=0) %}{% for i in items %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}", "6" },
        { "{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}", "1" },
        { "{% macro greet(name, greeting='Hi') %}{{ greeting }} {{ name }}{% endmacro %}{{ greet('ann') }}/{{ greet('bob', greeting='Yo') }}", "Hi ann/Yo bob" },
        { "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}", "1(2, 3){'x': 4}" },
        { "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inner{% endcall %}", "<inner>" },
        { "{% macro rows(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(v) rows([1, 2]) %}[{{ v * 10 }}]{% endcall %}", "[10][20]" },
        { "{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}" },
        { "a  {%- if true -%}  b  {%- endif -%}  c", "abc" },
        { "[ {{- 'x' -}} ]", "[x]" },
        { "a{# comment #}b\n{#- trimmed -#}\nc", "abc" },
        { "line\n{% if true %}\nx\n{% endif %}\nend", "line\n\nx\n\nend" },
        { "{{ 'on' if n > 5 else 'off' }}|{{ 'on' if n > 50 }}|", "on||" },
        { "{{ 1 < 2 and 'yes' or 'no' }}|{{ not 1 == 2 }}|{{ 1 < n < 10 }}", "yes|True|True" },
        { "{{ 2 in items }}|{{ 5 not in items }}|{{ 'ell' in s }}|{{ 'a' in d }}", "True|True|True|True" },
        { "{{ n is odd }}|{{ n is even }}|{{ n is divisibleby 7 }}|{{ none is none }}|{{ s is string }}|{{ n is number }}|{{ f is float }}|{{ n is integer }}", "True|False|True|True|True|True|True|True" },
        { "{{ d is mapping }}|{{ items is sequence }}|{{ s is iterable }}|{{ true is boolean }}|{{ true is true }}|{{ false is false }}|{{ 'abc' is lower }}|{{ 'ABC' is upper }}", "True|True|True|True|True|True|True|True" },
        { "{{ missing is defined }}|{{ missing is undefined }}|{{ n is eq 7 }}|{{ n is ne 7 }}|{{ n is lt 8 }}|{{ n is gt 8 }}|{{ n is le 7 }}|{{ n is ge 8 }}", "False|True|True|False|True|False|True|False" },
        { "{{ none is sameas none }}|{{ 2 is in items }}|{{ range is callable }}|{{ n is not none }}|{{ d is not string }}", "True|True|True|True|True" },
        { "{{ d.a }}{{ d['b'] }}{{ users[0].name }}{{ users.0.name }}{{ users[-1]['name'] }}", "12annanncid" },
        { "{{ items[1:] }}|{{ s[:5] }}|{{ s[::-1] }}|{{ items[-2:] }}", "[1, 2]|Hello|dlroW olleH|[1, 2]" },
        { "{{ s.upper() }}|{{ s.lower() }}|{{ s.split() }}|{{ s.startswith('He') }}|{{ s.endswith('x') }}|{{ '  p  '.strip() }}|{{ s.replace('World', 'There') }}", "HELLO WORLD|hello world|['Hello', 'World']|True|False|p|Hello There" },
        { "{{ 'a,b,,c'.split(',') }}|{{ 'a b c'.split(' ', 1) }}|{{ ', '.join(['x', 'y']) }}", "['a', 'b', '', 'c']|['a', 'b c']|x, y" },
        { "{{ '{} is {}'.format('x', 1) }}|{{ '{:>5}|{:.2f}'.format('a', 3.14159) }}|{{ '{name}!'.format(name='z') }}", "x is 1|    a|3.14|z!" },
        { "{{ '%s-%05d' % ('a', 42) }}|{{ '%.1f'|format(2.26) }}|{{ '%s=%d'|format('a', 3) }}|{{ '%(k)s'|format(k='v') }}", "a-00042|2.3|a=3|v" },
        { "{{ d.get('a') }}|{{ d.get('z', 'dflt') }}|{{ d.get('z') }}|{{ d.keys()|list }}|{{ d.values()|list }}|{{ d.items()|list }}", "1|dflt|None|['b', 'a']|[2, 1]|[('b', 2), ('a', 1)]" },
        { "{% set l = [] %}{% do l.append(1) %}{% set _ = l.append(2) %}{{ l }}", "[1, 2]" },
        { "{% set e = {} %}{% do e.update({'k': 1}) %}{{ e }}", "{'k': 1}" },
        { "{{ 'hello'|upper }}|{{ 'HeLLo'|lower }}|{{ 'hello world'|capitalize }}|{{ 'hello big-world'|title }}", "HELLO|hello|Hello world|Hello Big-World" },
        { "{{ missing|default('x') }}|{{ ''|default('y', true) }}|{{ ''|d('z') }}|{{ none|default('w') }}|{{ 0|default(5, boolean=true) }}", "x|y||None|5" },
        { "{{ items|join(',') }}|{{ users|join(', ', attribute='name') }}|{{ 'aaa'|replace('a', 'b', 2) }}", "3,1,2|ann, bob, cid|bba" },
        { "{{ items|length }}|{{ s|count }}|{{ items|first }}|{{ items|last }}|{{ d|length }}", "3|11|3|2|2" },
        { "{{ items|sort }}|{{ items|sort(reverse=true) }}|{{ users|sort(attribute='age')|map(attribute='name')|join(',') }}", "[1, 2, 3]|[3, 2, 1]|bob,cid,ann" },
        { "{{ [1, 2, 1, 3]|unique }}|{{ ['a', 'A', 'a']|unique }}", "[1, 2, 3]|['a', 'A']" },
        { "{{ '42'|int + 1 }}|{{ 'x'|int }}|{{ '3.7'|int }}|{{ '0x1A'|int(0, 16) }}|{{ 'x'|int(-1) }}|{{ 3.9|int }}", "43|0|3|26|-1|3" },
        { "{{ '2.5'|float }}|{{ 'x'|float }}|{{ 3|float }}|{{ 12|string ~ 'a' }}|{{ [1]|string }}", "2.5|0.0|3.0|12a|[1]" },
        { "{{ 'abc'|list }}|{{ d|dictsort }}|{{ d|dictsort(by='value', reverse=true) }}|{{ d|list }}", "['a', 'b', 'c']|[('a', 1), ('b', 2)]|[('b', 2), ('a', 1)]|['b', 'a']" },
        { "{{ {'b': [1, 2], 'a': 'x y', 'c': {'d': none}, 'e': '1'}|yaml }}", "{a: x y, b: [1, 2], c: {d: null}, e: '1'}" },
        { "{{ {'b': [1, 2], 'a': 'yes', 'c': {'x': 1.5}, 'e': []}|yaml(False) }}", "a: 'yes'\nb:\n- 1\n- 2\nc:\n  x: 1.5\ne: []" },
        { "{{ 'plain'|yaml }}|{{ [{'a': 1}, [2, 3]]|yaml(False) }}", "plain|- a: 1\n- - 2\n  - 3" },
        { "{{ {'b': 1, 'a': [true, none, '\u00e9', 1.0]}|json }}", "{\"a\": [true, null, \"\u00e9\", 1.0], \"b\": 1}" }, // salt.utils.json.dumps: ensure_ascii=False
        { "{{ {'b': '<x>', 'a': 1}|tojson }}|{{ [1, 2]|json(indent=2) }}", "{\"b\": \"\\u003cx\\u003e\", \"a\": 1}|[\n  1,\n  2\n]" },
        { "{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}", "a\n  b\n\n  c|  a\n  b|a\n  \n  b" },
        { "[{{ '  x  '|trim }}]|[{{ 'ab'|center(6) }}]|{{ 'one two, three'|wordcount }}|[{{ 'xxaxx'|trim('x') }}]", "[x]|[  ab  ]|3|[a]" },
        { "{{ users|selectattr('admin')|map(attribute='name')|list }}|{{ users|rejectattr('admin')|map(attribute='name')|list }}", "['ann', 'cid']|['bob']" },
        { "{{ items|select('odd')|list }}|{{ items|reject('odd')|list }}|{{ [0, 1, '', 'a']|select|list }}", "[3, 1]|[2]|[1, 'a']" },
        { "{{ users|selectattr('age', 'gt', 26)|map(attribute='name')|join(' ') }}|{{ users|selectattr('name', 'equalto', 'bob')|list|length }}", "ann cid|1" },
        { "{{ ['a', 'b']|map('upper')|list }}|{{ ['1', '2']|map('int')|sum }}", "['A', 'B']|3" },
        { "{{ items|sum }}|{{ items|min }}|{{ items|max }}|{{ -3|abs }}|{{ 2.5|round }}|{{ 2.567|round(2) }}|{{ 2.1|round(0, 'ceil') }}|{{ 7|round }}", "6|1|3|3|2.0|2.57|3.0|7" },
        { "{{ [1, 2, 3, 4, 5]|batch(2)|list }}|{{ [1, 2, 3]|batch(2, 'x')|list }}", "[[1, 2], [3, 4], [5]]|[[1, 2], [3, 'x']]" },
        { "{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %}", "b2a1" },
        { "{{ '<b>'|safe }}|{{ '<b>&\"'|e }}", "<b>|&lt;b&gt;&amp;&#34;" },
        { "{{ range(3)|list }}|{{ range(1, 10, 3)|list }}|{{ dict(a=1) }}", "[0, 1, 2]|[1, 4, 7]|{'a': 1}" },
        { "{{ -n }}|{{ +n }}|{{ -f }}|{{ n - 10 }}", "-7|7|-2.5|-3" },
        { "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}", "3" },
        { "{% filter upper %}abc{{ n }}{% endfilter %}", "ABC7" },
        { "{{ s|replace('o', '0')|lower|truncate(9) }}|{{ 'The quick brown fox'|truncate(12) }}", "hell0 w0rld|The..." },
        { "{% for g in users|groupby('admin') %}{{ g.grouper }}:{{ g.list|map(attribute='name')|join(',') }};{% endfor %}", "False:bob;True:ann,cid;" },
        { "{{ d }}|{{ users[1] }}", "{'b': 2, 'a': 1}|{'name': 'bob', 'age': 25, 'admin': False}" },
        { "{{ 'yes'|to_bool }}|{{ 'a b'|quote }}|{{ [1, [2, [3]]]|flatten }}|{{ [1, 2]|union([2, 3]) }}|{{ [1, 2]|intersect([2, 3]) }}|{{ [1, 2]|difference([2, 3]) }}", "True|'a b'|[1, 2, 3]|[1, 2, 3]|[2]|[1]" },
        { "{{ 'a1b22'|regex_replace('[0-9]+', '#') }}|{{ 'key=val'|regex_search('(\\\\w+)=(\\\\w+)') }}|{{ 'x'|regex_match('y') }}", "a#b#|('key', 'val')|None" },
        { "{{ 'x'|yaml_encode }}|{{ 1|yaml_encode }}|{{ none|yaml_encode }}|{{ true|yaml_encode }}|{{ \"it's\"|yaml_squote }}", "\"x\"|1|null|true|'it''s'" },
        { "{{ s|wordwrap(5) }}|{{ 1000000|filesizeformat }}|{{ 1024|filesizeformat(true) }}", "Hello\nWorld|1.0 MB|1.0 KiB" },
        { "{% set t = 'x' %}{% if t is defined and t %}set{% endif %}", "set" },
        { "{{ users|map(attribute='name')|map('upper')|join }}", "ANNBOBCID" },
        { "{{ 'abc' ~ 'def' }}{{ 'x' * 3 }}{{ [0] * 2 }}", "abcdefxxx[0, 0]" },
        { "{% if items %}{% for i in items|sort %}{{ i }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}", "1, 2, 3" },
        { "{{ {'a': 1}|dictsort|first }}|{{ [3, 1]|sort|first }}", "('a', 1)|1" },
        { "{{ 'x' if none else 'y' }}|{{ none or 0 or 'z' }}|{{ 'a' and 0 }}", "y|z|0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_TemplateCase_ProducesJinja2Output(string template, string expected)
    {
        var output = _env.Parse(template, "case.j2").Render(Context());

        Assert.Equal(expected, output);
    }
}
